import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { loadMnist } from '../data/mnist';
import { buildModel } from '../model';
import { imagesTensor } from './batch';
import { recalibrateBatchNorm } from './recalibrate';

beforeAll(async () => {
  await initBackend({ prefer: 'wasm', quiet: true });
});

describe('recalibrateBatchNorm', () => {
  it('makes inference-mode outputs match batch-statistics outputs and restores momentum', () => {
    const model = buildModel({ filters: [4, 8], poolAfter: [0], seed: 5 });
    const all = loadMnist('test');
    const data = { images: all.images.subarray(0, 400 * 784), labels: all.labels, count: 400 };
    const x = imagesTensor(
      data,
      Uint32Array.from({ length: 400 }, (_, i) => i),
    );
    const gap = () =>
      tf.tidy(() => {
        const inference = model.predict(x) as tf.Tensor;
        const batch = model.apply(x, { training: true }) as tf.Tensor;
        return inference.sub(batch).abs().mean().dataSync()[0] ?? 0;
      });
    const momentumBefore = model.layers.map(
      (l) => (l as unknown as { momentum?: number }).momentum,
    );
    const fresh = gap(); // fresh moving stats (mean 0, variance 1) do not fit the data
    const before = tf.memory().numTensors;
    expect(recalibrateBatchNorm(model, data, { batches: 4, batchSize: 100 })).toBe(4);
    expect(tf.memory().numTensors).toBe(before);
    expect(gap()).toBeLessThan(fresh / 5);
    expect(model.layers.map((l) => (l as unknown as { momentum?: number }).momentum)).toEqual(
      momentumBefore,
    );
    x.dispose();
    model.dispose();
  }, 60_000);
});
