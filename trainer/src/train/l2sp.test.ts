import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { l2spPenalty } from './l2sp';

describe('l2spPenalty', () => {
  it('is zero at the starting point and alpha/2 · squared distance after a move', () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]));
    const { penalty, dispose } = l2spPenalty([v], 0.5);
    expect(penalty().dataSync()[0]).toBe(0);
    v.assign(tf.tensor1d([2, 2, 1]));
    // (1² + 0² + 2²) · 0.5 / 2
    expect(penalty().dataSync()[0]).toBeCloseTo(1.25, 6);
    dispose();
    v.dispose();
  });

  it('pulls the weights back toward where they started', () => {
    const v = tf.variable(tf.tensor1d([0, 0]));
    const { penalty, dispose } = l2spPenalty([v], 2);
    v.assign(tf.tensor1d([1, -3]));
    const { grads } = tf.variableGrads(penalty, [v]);
    // d/dw alpha/2 (w − w₀)² = alpha (w − w₀)
    expect(Array.from(grads[v.name]!.dataSync())).toEqual([2, -6]);
    dispose();
    v.dispose();
  });
});
