import { describeStyle } from 'sync-server/writers';
import type { FeedbackSample } from '../../data/subsets';
import { fitStyle, pickExemplars, styledDigits, type StyleFit } from '../../data/writer-style';
import { concatSets, pick } from '../../evaluate';
import type { SampleSet } from '../../train';

/** Fewest new answers of one client for its hand to be estimated: fewer say too little. */
export const MIN_WRITER_ANSWERS = 4;
/** Most answers of one client a fit looks at (its newest): enough to pin the geometry down. */
const FIT_ANSWERS = 12;
/** MNIST exemplars per class an answer is compared with. */
const EXEMPLARS_PER_CLASS = 6;
/** Most writers per retrain whose hands are written (most answers first): bounds the cost. */
export const MAX_WRITERS = 20;
/** Most of a hand's kept digits that are the live model's mistakes; the rest it reads right. */
export const MISREAD_SHARE = 0.7;

export interface WriterHand {
  clientId: string;
  /** New answers of this client. */
  answers: number;
  fit: StyleFit;
}

export interface WriterDigits {
  /** `perWriter` MNIST digits written in each hand, writer after writer. */
  set: SampleSet;
  hands: WriterHand[];
}

/**
 * The new answers' writers whose hands the live model struggles with (see `chooseWriters`),
 * each one's hand estimated from its newest answers, and `perWriter` MNIST training digits
 * written in it. With `focus`, they are chosen among `pool` times as many for the live
 * model's mistakes (`classify` is its reading). Deterministic by `seed`.
 */
export function writerDigits(
  fresh: readonly FeedbackSample[],
  mnistTrain: SampleSet,
  perWriter: number,
  seed: number,
  misread: (answer: FeedbackSample) => boolean,
  focus?: { classify: (set: SampleSet) => Uint8Array; pool: number },
): WriterDigits {
  const writers = chooseWriters(fresh, misread);
  if (perWriter === 0 || writers.length === 0) return { set: concatSets(), hands: [] };
  const exemplars = pickExemplars(mnistTrain, EXEMPLARS_PER_CLASS, seed + 101);
  const hands = writers.map(([clientId, answers]) => {
    const newest = [...answers].sort((a, b) => b.createdAt - a.createdAt).slice(0, FIT_ANSWERS);
    return { clientId, answers: answers.length, fit: fitStyle(newest, exemplars) };
  });
  const sets = hands.map((h, w) => {
    const pool = focus && focus.pool > 1 ? perWriter * focus.pool : perWriter;
    const written = styledDigits(h.fit.style, mnistTrain, pool, seed + 7919 * (w + 1));
    return pool > perWriter
      ? focusOnMisread(written, focus!.classify(written), perWriter)
      : written;
  });
  return { set: concatSets(...sets), hands };
}

/**
 * `count` of `written`: its digits the live model misread (`predicted` ≠ label), up to
 * `MISREAD_SHARE` of `count`, then digits it read right, each group in `written`'s order.
 * Digits the model already reads in this hand teach little; its mistakes are what the hand
 * costs. Keeping some read right holds the classes it already gets in that hand, and the mix
 * stays near class balance however few mistakes a hand provokes.
 */
export function focusOnMisread(
  written: SampleSet,
  predicted: ArrayLike<number>,
  count: number,
): SampleSet {
  const misread: number[] = [];
  const readRight: number[] = [];
  for (let i = 0; i < written.count; i++) {
    (predicted[i] === written.labels[i] ? readRight : misread).push(i);
  }
  const wrong = Math.min(misread.length, Math.round(count * MISREAD_SHARE));
  const kept = [...misread.slice(0, wrong), ...readRight.slice(0, count - wrong)];
  if (kept.length < count) kept.push(...misread.slice(wrong, wrong + count - kept.length));
  return pick(written, kept);
}

/**
 * The clients whose hands a retrain learns: at least `MIN_WRITER_ANSWERS` new answers each, of
 * which the live model misread at least one (a hand it already reads needs nothing, and a fit
 * to digits close to MNIST finds shapes in noise), at most `MAX_WRITERS` of them, those with
 * the most answers first (then by id, so the choice is deterministic). Answers without a
 * client (the original system's) belong to nobody.
 */
export function chooseWriters(
  fresh: readonly FeedbackSample[],
  misread: (answer: FeedbackSample) => boolean,
): Array<[clientId: string, answers: FeedbackSample[]]> {
  const byClient = new Map<string, FeedbackSample[]>();
  for (const answer of fresh) {
    if (!answer.clientId) continue;
    const list = byClient.get(answer.clientId);
    if (list) list.push(answer);
    else byClient.set(answer.clientId, [answer]);
  }
  return [...byClient]
    .filter(([, answers]) => answers.length >= MIN_WRITER_ANSWERS && answers.some(misread))
    .sort(([a, x], [b, y]) => y.length - x.length || a.localeCompare(b))
    .slice(0, MAX_WRITERS);
}

/** One log line per hand: whose, from how many answers, the geometry and how well it fits. */
export function describeHand(h: WriterHand): string {
  return (
    `writer ${h.clientId.slice(0, 8)} (${h.answers} answers): ${describeStyle(h.fit.style)}; ` +
    `similarity ${h.fit.plainSimilarity.toFixed(3)} → ${h.fit.similarity.toFixed(3)}`
  );
}
