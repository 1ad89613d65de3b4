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
  const measures: GateMeasures = { mnistFloor, ...worst, holdoutP };
  const reject = (reason: string) => ({ publish: false, reason, measures });
  if (!Number.isFinite(candidate.mnist)) {
    return reject('MNIST test accuracy could not be measured');
  }
  const floorText = `the floor ${pct(mnistFloor)} (champion ${pct(champion.mnistTestAccuracy)} − ${thresholds.maxMnistDrop})`;
  if (points(mnistFloor - candidate.mnist) > EPSILON_POINTS) {
    return reject(`MNIST test ${pct(candidate.mnist)} is below ${floorText}`);
  }
  const mnistText = `MNIST test ${pct(candidate.mnist)} ≥ ${floorText}`;
  if (
    worst.worstDigit !== null &&
    worst.worstDigitDrop! > thresholds.maxDigitDrop + EPSILON_POINTS
  ) {
    const d = worst.worstDigit;
    return reject(
      `digit ${d} recall ${pct(candidate.perDigitRecall[d]!)} fell ${worst.worstDigitDrop!.toFixed(2)} points below the champion's ${pct(champion.perDigitRecall[d]!)}, more than the ${thresholds.maxDigitDrop} allowed (${mnistText})`,
    );
  }
  const digitText =
    worst.worstDigit === null
      ? 'no digit recall to compare'
      : `no digit more than ${unit(thresholds.maxDigitDrop)} below the champion (worst: digit ${worst.worstDigit}, ${signed(-worst.worstDigitDrop!)})`;
  if (!holdout || holdoutP === null) {
    return {
      publish: true,
      reason: `${mnistText}; ${digitText}; holdout empty, not judged`,
      measures,
    };
  }
  const pairText = `holdout ${holdout.fixed} fixed, ${holdout.broken} broken of ${holdout.count}`;
  if (holdoutP <= thresholds.holdoutAlpha) {
    return reject(
      `${pairText}: worse beyond chance (p = ${fmtP(holdoutP)} ≤ ${thresholds.holdoutAlpha}; ${mnistText})`,
    );
  }
  const holdoutText = `${pairText}, p = ${fmtP(holdoutP)} > ${thresholds.holdoutAlpha}`;
  return { publish: true, reason: `${mnistText}; ${digitText}; ${holdoutText}`, measures };
}

// The digit with the largest recall drop from the champion (points; negative = improved).
function worstDigit(
  champion: readonly (number | null)[],
  candidate: readonly (number | null)[],
): { worstDigit: number | null; worstDigitDrop: number | null } {
  let best: { worstDigit: number | null; worstDigitDrop: number | null } = {
    worstDigit: null,
    worstDigitDrop: null,
  };
  for (let d = 0; d < champion.length; d++) {
    const [was, now] = [champion[d], candidate[d]];
    if (was == null || now == null) continue;
    const drop = points(was - now);
    if (best.worstDigitDrop === null || drop > best.worstDigitDrop) {
      best = { worstDigit: d, worstDigitDrop: drop };
    }
  }
  return best;
}

const points = (ratioDiff: number) => ratioDiff * 100;
const pct = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;
const signed = (pts: number) => `${pts >= 0 ? '+' : '−'}${Math.abs(pts).toFixed(2)} points`;
const unit = (pts: number) => `${pts} point${pts === 1 ? '' : 's'}`;
const fmtP = (p: number) => (p < 0.001 ? p.toExponential(1) : p.toFixed(3));
