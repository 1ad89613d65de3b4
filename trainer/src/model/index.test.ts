import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { buildModel } from './index';

describe('buildModel', () => {
  it('stays within 150k parameters and maps [n,28,28,1] to [n,10] probabilities', () => {
    const model = buildModel();
    expect(model.countParams()).toBeLessThanOrEqual(150_000);
    expect(model.countParams()).toBeGreaterThan(50_000);
    const before = tf.memory().numTensors;
    const probs = tf.tidy(() => model.predict(tf.zeros([3, 28, 28, 1])) as tf.Tensor);
    expect(probs.shape).toEqual([3, 10]);
    const sums = tf.tidy(() => probs.sum(1).arraySync() as number[]);
    sums.forEach((s) => expect(s).toBeCloseTo(1, 5));
    probs.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  it('returns a fresh model on every call, reproducible by seed', () => {
    const [a, b] = [buildModel({ seed: 7 }), buildModel({ seed: 7 })];
    expect(a).not.toBe(b);
    const wa = a.getWeights()[0]?.dataSync();
    const wb = b.getWeights()[0]?.dataSync();
    expect(Array.from(wa ?? [])).toEqual(Array.from(wb ?? []));
    a.dispose();
    b.dispose();
  });
});
