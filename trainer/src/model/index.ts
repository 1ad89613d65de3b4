import * as tf from '@tensorflow/tfjs';

export interface BuildModelOptions {
  /** Filters of the conv blocks; a 2×2 max-pool follows each block marked in `poolAfter`. */
  filters?: number[];
  /** Indices of the conv layers followed by max-pooling. */
  poolAfter?: number[];
  /** Indices of the conv layers with 'valid' padding (the others pad to keep their size). */
  valid?: number[];
  /** Seed for the initializers, so a build is reproducible. */
  seed?: number;
}

const DEFAULTS: Required<BuildModelOptions> = {
  filters: [16, 24, 48, 128],
  poolAfter: [0, 1, 2],
  valid: [3],
  seed: 42,
};

/** Input `[n, 28, 28, 1]`, pixel/255 with ink = 1 (MNIST polarity); output `[n, 10]` softmax. */
export const INPUT_SHAPE = [28, 28, 1] as const;
export const NUM_CLASSES = 10;

/**
 * A fresh 72k-parameter CNN: four 3×3 conv → BatchNorm → ReLU blocks at 28, 14, 7 and 3 px
 * (16, 24, 48 and 128 filters; a 2×2 max-pool after each of the first three), global average
 * pooling and a softmax layer. Pooling early puts the parameters where pixels are few, and the
 * last conv has no padding: it sees the whole 3×3 map once (a 1×1 output) instead of nine
 * times. What a prediction costs is what the browser's single wasm thread pays for: `npm run
 * bench -w trainer` prints the multiply-adds per digit. The model is returned uncompiled; `fit`
 * trains it with its own optimizer.
 */
export function buildModel(opts: BuildModelOptions = {}): tf.LayersModel {
  const { filters, poolAfter, valid, seed } = { ...DEFAULTS, ...opts };
  const model = tf.sequential({ name: 'digit-cnn' });
  filters.forEach((count, i) => {
    model.add(
      tf.layers.conv2d({
        ...(i === 0 ? { inputShape: [...INPUT_SHAPE] } : {}),
        filters: count,
        kernelSize: 3,
        padding: valid.includes(i) ? 'valid' : 'same',
        kernelInitializer: tf.initializers.heNormal({ seed: seed + i }),
      }),
    );
    model.add(tf.layers.batchNormalization());
    model.add(tf.layers.activation({ activation: 'relu' }));
    if (poolAfter.includes(i)) model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  });
  model.add(tf.layers.globalAveragePooling2d({}));
  model.add(
    tf.layers.dense({
      units: NUM_CLASSES,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + filters.length }),
    }),
  );
  return model;
}
