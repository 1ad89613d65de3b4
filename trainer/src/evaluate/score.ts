import type * as tf from '@tensorflow/tfjs';
import { PIXEL_COUNT } from 'sync-server/contract';
import type { FeedbackSample } from '../data/subsets';
import { predictClasses, type SampleSet } from '../train';

export interface Score {
  /** correct / count, or null when there is nothing to score. */
  accuracy: number | null;
  correct: number;
  count: number;
  /** Recall of each digit 0–9 (correct / samples labelled d); null where there is none. */
  perDigitRecall: (number | null)[];
}

/** A score with each sample's correctness (1 = right), in the set's order, for pairing. */
export interface SampleScore extends Score {
  hits: Uint8Array;
}

/** Scores `model` on `set` in inference mode. */
export function score(model: tf.LayersModel, set: SampleSet, batchSize = 500): Score {
  const { hits: _hits, ...summary } = scoreSamples(model, set, batchSize);
  return summary;
}

/** `score`, keeping each sample's correctness. */
export function scoreSamples(model: tf.LayersModel, set: SampleSet, batchSize = 500): SampleScore {
  const predicted = set.count === 0 ? new Uint8Array(0) : predictClasses(model, set, batchSize);
  return summarize(set.labels, predicted, set.count);
}

/** The score of `predicted` classes against the first `count` of `labels`. */
export function summarize(labels: Uint8Array, predicted: Uint8Array, count: number): SampleScore {
  const hits = new Uint8Array(count);
  const perDigit = Array.from({ length: 10 }, () => ({ correct: 0, count: 0 }));
  let correct = 0;
  for (let i = 0; i < count; i++) {
    const label = labels[i]!;
    const digit = perDigit[label]; // labels are 0–9; anything else only counts as a miss
    if (digit) digit.count++;
    if (predicted[i] !== label) continue;
    hits[i] = 1;
    correct++;
    if (digit) digit.correct++;
  }
  return {
    accuracy: count ? correct / count : null,
    correct,
    count,
    perDigitRecall: perDigit.map((d) => (d.count ? d.correct / d.count : null)),
    hits,
  };
}

/** Feedback samples as one contiguous set, in their order. */
export function samplesToSet(samples: readonly FeedbackSample[]): SampleSet {
  const images = new Uint8Array(samples.length * PIXEL_COUNT);
  const labels = new Uint8Array(samples.length);
  samples.forEach((s, i) => {
    images.set(s.pixels, i * PIXEL_COUNT);
    labels[i] = s.label;
  });
  return { images, labels, count: samples.length };
}

/** `count` samples of `set` (indices in order), copied into a new set. */
export function pick(set: SampleSet, indices: ArrayLike<number>): SampleSet {
  const images = new Uint8Array(indices.length * PIXEL_COUNT);
  const labels = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) {
    const from = indices[i]!;
    images.set(set.images.subarray(from * PIXEL_COUNT, (from + 1) * PIXEL_COUNT), i * PIXEL_COUNT);
    labels[i] = set.labels[from]!;
  }
  return { images, labels, count: indices.length };
}

/** Sets one after another. */
export function concatSets(...sets: SampleSet[]): SampleSet {
  const count = sets.reduce((n, s) => n + s.count, 0);
  const images = new Uint8Array(count * PIXEL_COUNT);
  const labels = new Uint8Array(count);
  let at = 0;
  for (const s of sets) {
    images.set(s.images.subarray(0, s.count * PIXEL_COUNT), at * PIXEL_COUNT);
    labels.set(s.labels.subarray(0, s.count), at);
    at += s.count;
  }
  return { images, labels, count };
}
