import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallConvModel } from '../../test/helpers/tiny-model';
import { initBackend } from '../backend';
import { loadMnist } from '../data/mnist';
import { scoreParallel } from './parallel-score';
import { pick, score } from './score';

let set: ReturnType<typeof pick>;
beforeAll(async () => {
  await initBackend({ quiet: true });
  set = pick(
    loadMnist('test'),
    Uint32Array.from({ length: 1100 }, (_, i) => i),
  );
});

describe('scoreParallel', () => {
  it('agrees with score sample for sample, with a worker thread and without', async () => {
    const model = smallConvModel(5);
    const serial = score(model, set);
    const tensors = tf.memory().numTensors;
    const byWorkers = await scoreParallel(model, set, {
      workers: 2,
      chunk: 200,
      useThisThread: false,
    });
    expect(byWorkers).toEqual({ ...serial, workerChunks: 6 });
    expect(await scoreParallel(model, set, { workers: 0 })).toEqual({ ...serial, workerChunks: 0 });
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  }, 30_000);
});
