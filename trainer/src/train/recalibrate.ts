import * as tf from '@tensorflow/tfjs';
import type { SampleSet } from './batch';
import { imagesTensor } from './batch';

export interface RecalibrateOptions {
  batches?: number;
  batchSize?: number;
}

type WithMomentum = { momentum: number };

/**
 * Re-estimates every BatchNormalization layer's moving mean and variance on clean samples
 * ("precise BN"): forward passes in training mode with the momentum set so that the result is
 * the plain average over the batches. Training with a high learning rate, augmentation and
 * momentum 0.99 leaves statistics that lag the weights (inference mode then scores well below
 * what the same weights score with batch statistics). Weights are untouched; the first `batches × batchSize`
 * samples of `data` are used, so pass a shuffled or representative set.
 */
export function recalibrateBatchNorm(
  model: tf.LayersModel,
  data: SampleSet,
  opts: RecalibrateOptions = {},
): number {
  const layers = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
  if (layers.length === 0) return 0;
  const batchSize = opts.batchSize ?? 500;
  const batches = Math.min(opts.batches ?? 20, Math.floor(data.count / batchSize));
  const saved = layers.map((l) => (l as unknown as WithMomentum).momentum);
  try {
    for (let k = 0; k < batches; k++) {
      // new = old·m + batch·(1−m) with m = k/(k+1) keeps the running plain mean.
      for (const l of layers) (l as unknown as WithMomentum).momentum = k / (k + 1);
      const idx = Uint32Array.from({ length: batchSize }, (_, i) => k * batchSize + i);
      tf.tidy(() => void model.apply(imagesTensor(data, idx), { training: true }));
    }
  } finally {
    layers.forEach((l, i) => ((l as unknown as WithMomentum).momentum = saved[i] ?? 0.99));
  }
  return batches;
}
