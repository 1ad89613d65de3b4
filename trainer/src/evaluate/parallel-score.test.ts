import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallConvModel } from '../../test/helpers/tiny-model';
import { initBackend } from '../backend';
import { loadMnist } from '../data/mnist';
import type { SampleSet } from '../train';
import { scoreParallel } from './parallel-score';
import { score } from './score';

const COUNT = 600;
let set: SampleSet;
beforeAll(async () => {
  await initBackend({ quiet: true });
  // Views into the file's Buffer, as loadMnist gives them: a transfer must not detach it.
  const test = loadMnist('test');
  set = {
    images: test.images.subarray(0, COUNT * 784),
    labels: test.labels.subarray(0, COUNT),
    count: COUNT,
  };
});

describe('scoreParallel', () => {
  it('agrees with score sample for sample, with a worker thread and without', async () => {
    const model = smallConvModel(5);
    const serial = score(model, set);
    const tensors = tf.memory().numTensors;
    const byWorker = await scoreParallel(model, set, {
      workers: 1,
      chunk: 200,
      useThisThread: false,
    });
    expect(byWorker).toEqual({ ...serial, workerChunks: 3 });
    expect(await scoreParallel(model, set, { workers: 0 })).toEqual({ ...serial, workerChunks: 0 });
    expect(score(model, set)).toEqual(serial);
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  }, 60_000);

  it('scores every chunk on this thread when its worker dies mid-run', async () => {
    const model = smallConvModel(5);
    const serial = score(model, set);
    const workerEntry = new URL('../../test/helpers/dying-score-worker.ts', import.meta.url);
    const result = await scoreParallel(model, set, {
      workers: 1,
      chunk: 200,
      useThisThread: false,
      workerEntry,
    });
    expect(result).toEqual({ ...serial, workerChunks: 0 });
    model.dispose();
  }, 60_000);
});
