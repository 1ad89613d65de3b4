import * as tf from '@tensorflow/tfjs';
import { augmentBatch } from '../data/augment';
import type { AugmentOptions } from '../data/augment';
import { imagesTensor, labelsTensor } from './batch';
import type { SampleSet } from './batch';
import { createRng } from './rng';

// The pieces of one training step that the main thread and the worker replicas share.

/**
 * Inputs and one-hot labels for the samples at `idx`; the images `mask` marks are augmented
 * with randomness from `seed` (no mask: none are).
 */
export function trainingBatch(
  data: SampleSet,
  idx: Uint32Array,
  mask: boolean[] | null,
  seed: number,
  augmentOptions: AugmentOptions = {},
): { x: tf.Tensor4D; y: tf.Tensor2D } {
  const raw = imagesTensor(data, idx);
  const x = mask ? augmentBatch(raw, { ...augmentOptions, mask, random: createRng(seed) }) : raw;
  return { x, y: labelsTensor(data, idx) };
}

/**
 * The batch's mean cross-entropy in training mode; `onAccuracy` receives its accuracy. With
 * `frozenBatchNorm`, BatchNorm normalizes with its stored statistics and leaves them alone (its
 * scale and shift still learn), as when fine-tuning on a small batch unlike the pretraining data.
 */
export function trainingLoss(
  model: tf.LayersModel,
  x: tf.Tensor4D,
  y: tf.Tensor2D,
  onAccuracy: (acc: number) => void,
  frozenBatchNorm = false,
): tf.Scalar {
  const probs = model.apply(x, { training: !frozenBatchNorm }) as tf.Tensor2D;
  onAccuracy(tf.tidy(() => probs.argMax(-1).equal(y.argMax(-1)).mean().dataSync()[0] ?? 0));
  return tf.metrics.categoricalCrossentropy(y, probs).mean() as tf.Scalar;
}

/** Gradients of one (sub-)batch, in `model.trainableWeights` order, plus its loss and accuracy. */
export interface ShardResult {
  grads: Float32Array[];
  loss: number;
  acc: number;
  count: number;
}

/**
 * Forward and backward pass on `x`/`y` in training mode (which also updates BatchNorm's moving
 * statistics) without applying anything: the caller averages shards and applies once.
 */
export function shardGradients(model: tf.LayersModel, x: tf.Tensor4D, y: tf.Tensor2D): ShardResult {
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let acc = 0;
  const { value, grads } = tf.variableGrads(
    () => trainingLoss(model, x, y, (a) => (acc = a)),
    variables,
  );
  const loss = value.dataSync()[0] ?? Number.NaN;
  const out = variables.map((v) => (grads[v.name] as tf.Tensor).dataSync() as Float32Array);
  tf.dispose([value, ...Object.values(grads)]);
  return { grads: out, loss, acc, count: x.shape[0] };
}

/** Every weight (trainable and BatchNorm statistics) as plain arrays, to ship to a replica. */
export function weightArrays(model: tf.LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

/** Loads arrays from `weightArrays` into a replica with the same architecture. */
export function setWeightArrays(model: tf.LayersModel, arrays: Float32Array[]): void {
  const tensors = model.weights.map((w, i) =>
    tf.tensor(arrays[i] ?? [], w.shape as number[], 'float32'),
  );
  model.setWeights(tensors);
  tf.dispose(tensors);
}
