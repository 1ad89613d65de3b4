import '@tensorflow/tfjs-backend-cpu';
import { memory, ready, setBackend } from '@tensorflow/tfjs-core';
import { layers, sequential } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldForInference } from './fold';
import {
  predictProbabilities,
  predictWithEmbedding,
  predictWithEmbeddingSync,
  toInput,
} from './infer';
import { topK } from './top-k';

function tinyModel() {
  const model = sequential();
  model.add(layers.conv2d({ inputShape: [28, 28, 1], filters: 2, kernelSize: 3 }));
  model.add(layers.flatten());
  model.add(layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

describe('predictProbabilities', () => {
  beforeAll(async () => {
    await setBackend('cpu');
    await ready();
  });

  it('returns 10 probabilities summing to 1 and leaks no tensor', async () => {
    const model = tinyModel();
    const pixels = new Uint8Array(784).map((_, i) => (i * 7) % 256);
    await predictProbabilities(model, pixels);
    const before = memory().numTensors;
    for (let i = 0; i < 5; i++) {
      const p = await predictProbabilities(model, pixels);
      expect(p).toHaveLength(10);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    expect(memory().numTensors).toBe(before);
    model.dispose();
  });

  it('reads the same probabilities and embedding synchronously as asynchronously', async () => {
    const net = foldForInference(tinyModel());
    const pixels = new Uint8Array(784).map((_, i) => (i * 5) % 256);
    const later = await predictWithEmbedding(net, pixels);
    const before = memory().numTensors;
    const now = predictWithEmbeddingSync(net, pixels);
    expect(memory().numTensors).toBe(before);
    expect(now.embedding).toHaveLength(2 * 26 * 26);
    expect(now).toEqual(later);
    net.dispose();
  });

  it('feeds pixel / 255 as [1, 28, 28, 1]', () => {
    const x = toInput(new Uint8Array(784).fill(255));
    expect(x.shape).toEqual([1, 28, 28, 1]);
    expect(Math.max(...x.dataSync())).toBe(1);
    x.dispose();
  });

  it('refuses the wrong number of pixels', () => {
    expect(() => toInput(new Uint8Array(10))).toThrow(/784/);
  });
});

describe('topK', () => {
  it('orders the most probable digits first', () => {
    const p = [0.01, 0.02, 0.5, 0.03, 0.04, 0.05, 0.06, 0.2, 0.08, 0.01];
    expect(topK(p).map((g) => g.digit)).toEqual([2, 7, 8]);
  });
});
