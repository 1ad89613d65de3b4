import type { Champion, GateThresholds } from 'sync-server/contract';
import { signTestP, type PairedCounts } from './sign-test';

export type { GateThresholds } from 'sync-server/contract';

export const DEFAULT_THRESHOLDS: GateThresholds = {
  maxMnistDrop: 0.2,
  maxDigitDrop: 1,
  holdoutAlpha: 0.05,
};

/** A candidate's MNIST test scores, ratios in [0, 1]. */
export interface CandidateScores {
  mnist: number;
  /** Recall per digit 0–9; null where the test set has no sample of the digit. */
  perDigitRecall: readonly (number | null)[];
}

/** Everything the gate judges; `holdout` is null when the holdout has no samples. */
export interface GateInput {
  champion: Champion;
  candidate: CandidateScores;
  holdout: PairedCounts | null;
}

export interface GateDecision {
  publish: boolean;
  /** One sentence with the numbers that decided it. */
  reason: string;
  /** What the gate computed, for the history entry. */
  measures: GateMeasures;
}

export interface GateMeasures {
  /** Champion's MNIST test accuracy − maxMnistDrop, as a ratio. */
  mnistFloor: number;
  /** The digit whose recall fell furthest below the champion's, and by how many points. */
  worstDigit: number | null;
  worstDigitDrop: number | null;
  holdoutP: number | null;
}

// Accuracies are ratios of counts; this absorbs float noise so equal counts compare equal.
const EPSILON_POINTS = 1e-9;

/**
 * Publish only if, in this order:
 * 1. the candidate's MNIST test accuracy is at least the champion's minus `maxMnistDrop`
 *    points (a floor that does not follow the live model down);
 * 2. no digit's MNIST test recall is more than `maxDigitDrop` points below the champion's;
 * 3. on the holdout, paired with the live model sample by sample, the candidate is not worse
 *    beyond chance: the one-sided exact sign test on the discordant pairs gives p > alpha.
 * A non-finite MNIST score rejects; an empty holdout is not judged.
 */
export function decide(
  { champion, candidate, holdout }: GateInput,
  thresholds: GateThresholds = DEFAULT_THRESHOLDS,
): GateDecision {
  const mnistFloor = champion.mnistTestAccuracy - thresholds.maxMnistDrop / 100;
  const worst = worstDigit(champion.perDigitRecall, candidate.perDigitRecall);
  const holdoutP = holdout && signTestP(holdout.fixed, holdout.broken);
  const measures: GateMeasures = {
    mnistFloor,
    worstDigit: worst?.digit ?? null,
    worstDigitDrop: worst?.drop ?? null,
    holdoutP,
  };
  const verdict = (publish: boolean, reason: string) => ({ publish, reason, measures });
  if (!Number.isFinite(candidate.mnist)) {
    return verdict(false, 'MNIST test accuracy could not be measured');
  }
  const floorText = `the floor ${pct(mnistFloor)} (champion ${pct(champion.mnistTestAccuracy)} − ${thresholds.maxMnistDrop})`;
  if (points(mnistFloor - candidate.mnist) > EPSILON_POINTS) {
    return verdict(false, `MNIST test ${pct(candidate.mnist)} is below ${floorText}`);
  }
  const mnistText = `MNIST test ${pct(candidate.mnist)} ≥ ${floorText}`;
  if (worst && worst.drop > thresholds.maxDigitDrop + EPSILON_POINTS) {
    const { digit, drop } = worst;
    const was = champion.perDigitRecall[digit]!;
    return verdict(
      false,
      `digit ${digit} recall ${pct(candidate.perDigitRecall[digit]!)} fell ${drop.toFixed(2)} points below the champion's ${pct(was)}, more than the ${thresholds.maxDigitDrop} allowed (${mnistText})`,
    );
  }
  const digitText = worst
    ? `no digit more than ${unit(thresholds.maxDigitDrop)} below the champion (worst: digit ${worst.digit}, ${signed(-worst.drop)})`
    : 'no digit recall to compare';
  if (!holdout || holdoutP === null) {
    return verdict(true, `${mnistText}; ${digitText}; holdout empty, not judged`);
  }
  const pairText = `holdout ${holdout.fixed} fixed, ${holdout.broken} broken of ${holdout.count}`;
  const pText = `p = ${fmtP(holdoutP)}`;
  if (holdoutP <= thresholds.holdoutAlpha) {
    return verdict(
      false,
      `${pairText}: worse beyond chance (${pText} ≤ ${thresholds.holdoutAlpha}; ${mnistText})`,
    );
  }
  const holdoutText = `${pairText}, ${pText} > ${thresholds.holdoutAlpha}`;
  return verdict(true, `${mnistText}; ${digitText}; ${holdoutText}`);
}

// The digit whose recall fell furthest below the champion's (points; negative = improved);
// null when no digit has a recall on both sides.
function worstDigit(
  champion: readonly (number | null)[],
  candidate: readonly (number | null)[],
): { digit: number; drop: number } | null {
  let worst: { digit: number; drop: number } | null = null;
  for (let d = 0; d < champion.length; d++) {
    const [was, now] = [champion[d], candidate[d]];
    if (was == null || now == null) continue;
    const drop = points(was - now);
    if (!worst || drop > worst.drop) worst = { digit: d, drop };
  }
  return worst;
}

const points = (ratioDiff: number) => ratioDiff * 100;
const pct = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;
const signed = (pts: number) => `${pts >= 0 ? '+' : '−'}${Math.abs(pts).toFixed(2)} points`;
const unit = (pts: number) => `${pts} point${pts === 1 ? '' : 's'}`;
const fmtP = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));
