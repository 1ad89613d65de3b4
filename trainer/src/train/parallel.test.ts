import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { loadMnist } from '../data/mnist';
import { buildModel } from '../model';
import type { SampleSet } from './batch';
import { ParallelTrainer } from './parallel';

const DYING = '../../test/helpers/dying-training-worker.ts';
const dyingOn = (type: 'init' | 'step') => new URL(`${DYING}?on=${type}`, import.meta.url);

let data: SampleSet;
beforeAll(async () => {
  await initBackend({ prefer: 'wasm', quiet: true });
  const all = loadMnist('train');
  data = {
    images: all.images.subarray(0, 64 * 784),
    labels: all.labels.subarray(0, 64),
    count: 64,
  };
});

describe('ParallelTrainer', () => {
  it('fails the step with a message when a replica dies mid-run', async () => {
    const model = buildModel({ filters: [4, 8], poolAfter: [0], seed: 3 });
    const optimizer = tf.train.adam(0.01);
    const trainer = await ParallelTrainer.start(model, data, 1, {}, dyingOn('step'));
    const indices = Uint32Array.from({ length: 32 }, (_, i) => i);
    await expect(trainer.step(optimizer, indices, null, 1)).rejects.toThrow(
      'training worker exited (code 7)',
    );
    await trainer.stop();
    optimizer.dispose();
    model.dispose();
  }, 60_000);

  it('fails to start with a message when a replica dies on init', async () => {
    const model = buildModel({ filters: [4, 8], poolAfter: [0], seed: 3 });
    await expect(ParallelTrainer.start(model, data, 2, {}, dyingOn('init'))).rejects.toThrow(
      'training worker exited (code 7)',
    );
    model.dispose();
  }, 60_000);
});
