import * as tf from '@tensorflow/tfjs';
import type { HeldBackFlag } from 'sync-server/contract';
import { clientKey } from '../../data/caps';
import type { FeedbackSample } from '../../data/subsets';
import { samplesToSet } from '../../evaluate';
import { imagesTensor, type SampleSet } from '../../train';
import type { Feedback } from './feedback';

/**
 * The live model's probability for another digit at which an answer is disputed: the same
 * rule as the server's `confident_disagreement` flag, which trusts the client's own figures.
 */
export const DISPUTE_CONFIDENCE = 0.99;
/** A client with at least this many disputed answers... */
export const DISTRUST_MIN = 3;
/** ...making up at least this share of its answers is held back whole. */
export const DISTRUST_SHARE = 0.5;

/** Feedback without the disputed answers and distrusted clients, and how many went. */
export interface HeldBack {
  feedback: Feedback;
  /** Answers held back: disputed ones, and every answer of a distrusted client. */
  disputed: number;
  distrustedClients: number;
  /** Each held-back answer's id and why, for the review queue (`new_data/disputed.jsonl`). */
  heldBack: { id: string; flag: HeldBackFlag }[];
}

/**
 * Holds back the answers the live model disputes (it gives at least `confidence` to a digit
 * other than the label), and every answer of a client whose answers are mostly disputed. The
 * server flags such answers from what the client reports, and a client can lie about its
 * model or send no prediction, so the trainer asks the live model itself. A client that
 * labels digits the model is sure of as something else is not a person correcting a mistake:
 * its few undisputed answers would still teach the same lie (and each release that learned a
 * little of it would dispute a little less), so none of them train. Like flagged answers, what
 * is held back trains and judges only once review accepts it: the run records it in
 * `new_data/disputed.jsonl` (`recordHeldBack`), the server lists it for review, and later runs
 * keep it out until a decision. `confidence` 0 turns this off.
 */
export function holdBackDisputed(
  model: tf.LayersModel,
  feedback: Feedback,
  confidence: number,
): HeldBack {
  if (confidence <= 0) return { feedback, disputed: 0, distrustedClients: 0, heldBack: [] };
  const all = [...feedback.train, ...feedback.holdout];
  const flags = disputedFlags(model, samplesToSet(all), confidence);
  const isAccepted = (s: FeedbackSample) => feedback.accepted.has(s.id.toLowerCase());
  const tally = new Map<string, { disputed: number; total: number }>();
  all.forEach((s, i) => {
    const t = tally.get(clientKey(s)) ?? { disputed: 0, total: 0 };
    t.total++;
    if (flags[i] && !isAccepted(s)) t.disputed++;
    tally.set(clientKey(s), t);
  });
  const distrusted = new Set(
    [...tally]
      .filter(([, t]) => t.disputed >= DISTRUST_MIN && t.disputed >= DISTRUST_SHARE * t.total)
      .map(([key]) => key),
  );
  const heldBack = new Map<FeedbackSample, HeldBackFlag>();
  all.forEach((s, i) => {
    if (isAccepted(s)) return;
    if (flags[i]) heldBack.set(s, 'disputed');
    else if (distrusted.has(clientKey(s))) heldBack.set(s, 'distrusted_client');
  });
  const out = new Set(heldBack.keys());
  const train = feedback.train.filter((s) => !out.has(s));
  const holdout = feedback.holdout.filter((s) => !out.has(s));
  // `train` is the new answers, then the recall sample: the new part shrinks by what left it.
  const newTrain = feedback.train.slice(0, feedback.newTrain).filter((s) => !out.has(s)).length;
  return {
    feedback: { ...feedback, train, newTrain, holdout },
    disputed: out.size,
    distrustedClients: distrusted.size,
    heldBack: [...heldBack].map(([s, flag]) => ({ id: s.id, flag })),
  };
}

/** Per sample, 1 when the model gives at least `confidence` to a digit other than its label. */
export function disputedFlags(
  model: tf.LayersModel,
  set: SampleSet,
  confidence: number,
  batchSize = 500,
): Uint8Array {
  const out = new Uint8Array(set.count);
  for (let start = 0; start < set.count; start += batchSize) {
    const n = Math.min(batchSize, set.count - start);
    const idx = Uint32Array.from({ length: n }, (_, i) => start + i);
    const probs = tf.tidy(() => (model.predict(imagesTensor(set, idx)) as tf.Tensor).dataSync());
    for (let i = 0; i < n; i++) {
      const label = set.labels[start + i]!;
      const row = probs.subarray(i * 10, i * 10 + 10);
      out[start + i] = row.some((p, d) => d !== label && p >= confidence) ? 1 : 0;
    }
  }
  return out;
}
