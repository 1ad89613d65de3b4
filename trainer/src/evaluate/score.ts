import type * as tf from '@tensorflow/tfjs';
import { PIXEL_COUNT } from 'sync-server/contract';
import type { FeedbackSample } from '../data/subsets';
import { predictClasses, type SampleSet } from '../train';

export interface Score {
  /** correct / count, or null when there is nothing to score. */
  accuracy: number | null;
  correct: number;
  count: number;
}

/** Scores `model` on `set` in inference mode. */
export function score(model: tf.LayersModel, set: SampleSet, batchSize = 500): Score {
  if (set.count === 0) return { accuracy: null, correct: 0, count: 0 };
  const predicted = predictClasses(model, set, batchSize);
  let correct = 0;
  for (let i = 0; i < set.count; i++) if (predicted[i] === set.labels[i]) correct++;
  return { accuracy: correct / set.count, correct, count: set.count };
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
