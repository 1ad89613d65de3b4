import * as tf from '@tensorflow/tfjs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { loadMnist } from '../data/mnist';
import { buildModel } from '../model';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import { fit } from './index';
import type { SampleSet } from './index';

const small = () => buildModel({ filters: [4, 8], poolAfter: [0], seed: 3 });
let train: SampleSet;

beforeAll(async () => {
  await initBackend({ prefer: 'wasm', quiet: true });
  const all = loadMnist('train');
  train = {
    images: all.images.subarray(0, 256 * 784),
    labels: all.labels.subarray(0, 256),
    count: 256,
  };
});

describe('fit', () => {
  it('trains for the requested epochs, lowers the loss and leaks no tensors', async () => {
    const model = small();
    const optimizer = tf.train.adam(0.01);
    const before = tf.memory().numTensors;
    const history: number[] = [];
    const result = await fit(model, train, {
      epochs: 3,
      batchSize: 64,
      learningRate: 0.01,
      schedule: 'cosine',
      augment: (i) => i % 2 === 0,
      seed: 1,
      optimizer,
      onEpochEnd: (e) => void history.push(e.loss),
    });
    expect(result).toMatchObject({ epochs: 3, aborted: false, backend: 'wasm' });
    expect(history).toHaveLength(3);
    expect(history[2]).toBeLessThan(history[0] ?? 0);
    // Adam's moments are created on the first step: two per trainable weight, plus its accumulators.
    const optimizerTensors = 2 * model.trainableWeights.length;
    expect(tf.memory().numTensors).toBe(before + optimizerTensors);
    optimizer.dispose();
    model.dispose();
  }, 60_000);

  it('stops between batches when aborted', async () => {
    const model = small();
    const controller = new AbortController();
    const result = await fit(model, train, {
      epochs: 2,
      batchSize: 64,
      learningRate: 0.01,
      seed: 1,
      signal: controller.signal,
      onBatchEnd: (e) => (e.batch === 1 ? controller.abort() : undefined),
    });
    expect(result.aborted).toBe(true);
    expect(result.epochs).toBe(0);
    model.dispose();
  }, 60_000);

  it('averages gradients over a worker thread', async () => {
    const model = small();
    const start = model.getWeights()[0]?.dataSync().slice();
    const result = await fit(model, train, {
      epochs: 1,
      batchSize: 64,
      learningRate: 0.01,
      seed: 1,
      workers: 2,
    });
    expect(result.aborted).toBe(false);
    expect(Number.isFinite(result.loss)).toBe(true);
    expect(model.getWeights()[0]?.dataSync()).not.toEqual(start);
    model.dispose();
  }, 60_000);
});

describe('checkpoints', () => {
  it('round-trips model, optimizer state and position', async () => {
    const model = small();
    const optimizer = tf.train.adam(0.01);
    await fit(model, train, { epochs: 1, batchSize: 128, learningRate: 0.01, seed: 1, optimizer });
    const dir = join(mkdtempSync(join(tmpdir(), 'ckpt-')), 'run');
    const state = {
      epoch: 1,
      batch: 0,
      epochs: 3,
      batchSize: 128,
      learningRate: 0.01,
      seed: 1,
      limit: 192,
      elapsedMs: 5,
      savedAt: '',
    };
    await saveCheckpoint(dir, model, optimizer, state);
    await saveCheckpoint(dir, model, optimizer, { ...state, batch: 1 }); // replaces the old one
    const loaded = await loadCheckpoint(dir);
    expect(loaded?.state.batch).toBe(1);
    const x = tf.ones([1, 28, 28, 1]);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded?.model.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    const [wa, wb] = [await optimizer.getWeights(), (await loaded?.optimizer.getWeights()) ?? []];
    expect(wb.length).toBe(wa.length);
    expect(Array.from(wb[1]?.tensor.dataSync() ?? [])).toEqual(
      Array.from(wa[1]?.tensor.dataSync() ?? []),
    );
    expect(await loadCheckpoint(join(dir, 'missing'))).toBeNull();
    tf.dispose([x, a, b]);
  }, 60_000);
});
