import * as tf from '@tensorflow/tfjs';

const PIXELS = 784;

/** Raw samples: `count` 28×28 images (0–255, ink = 255) and their digit labels. */
export interface SampleSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

/**
 * The model input for the samples at `indices`: `[n, 28, 28, 1]` float32, pixel / 255.
 * Built in JS so only one tensor is allocated per batch.
 */
export function imagesTensor(set: SampleSet, indices: ArrayLike<number>): tf.Tensor4D {
  const n = indices.length;
  const values = new Float32Array(n * PIXELS);
  for (let i = 0; i < n; i++) {
    const start = (indices[i] ?? 0) * PIXELS;
    const image = set.images.subarray(start, start + PIXELS);
    for (let p = 0; p < PIXELS; p++) values[i * PIXELS + p] = (image[p] ?? 0) / 255;
  }
  return tf.tensor4d(values, [n, 28, 28, 1]);
}

/** One-hot `[n, 10]` labels for the samples at `indices`. */
export function labelsTensor(set: SampleSet, indices: ArrayLike<number>): tf.Tensor2D {
  const n = indices.length;
  const values = new Float32Array(n * 10);
  for (let i = 0; i < n; i++) values[i * 10 + (set.labels[indices[i] ?? 0] ?? 0)] = 1;
  return tf.tensor2d(values, [n, 10]);
}

/**
 * Predicted class per sample, evaluated in batches with the model in inference mode.
 * Returns a Uint8Array of length `set.count`.
 */
export function predictClasses(model: tf.LayersModel, set: SampleSet, batchSize = 500): Uint8Array {
  const out = new Uint8Array(set.count);
  for (let start = 0; start < set.count; start += batchSize) {
    const idx = Uint32Array.from(
      { length: Math.min(batchSize, set.count - start) },
      (_, i) => start + i,
    );
    const classes = tf.tidy(() => {
      const x = imagesTensor(set, idx);
      return (model.predict(x) as tf.Tensor).argMax(-1).dataSync();
    });
    out.set(classes, start);
  }
  return out;
}

/** Fraction of `set` the model classifies correctly, in [0, 1]. */
export function accuracy(model: tf.LayersModel, set: SampleSet, batchSize = 500): number {
  if (set.count === 0) return Number.NaN;
  const predicted = predictClasses(model, set, batchSize);
  let correct = 0;
  for (let i = 0; i < set.count; i++) if (predicted[i] === set.labels[i]) correct++;
  return correct / set.count;
}
