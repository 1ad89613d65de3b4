import { describe, expect, it } from 'vitest';
import { learningRateAt } from './schedule';

describe('learningRateAt', () => {
  it('warms up, peaks at the base rate and decays to the floor', () => {
    const total = 1000;
    expect(learningRateAt('cosine', 1, 0, total)).toBeLessThan(0.1);
    expect(learningRateAt('cosine', 1, 30, total)).toBeCloseTo(1, 2);
    expect(learningRateAt('cosine', 1, 515, total)).toBeCloseTo(0.505, 2);
    expect(learningRateAt('cosine', 1, total, total)).toBeCloseTo(0.01, 5);
  });

  it('keeps a constant rate', () => {
    expect(learningRateAt('constant', 0.5, 700, 1000)).toBe(0.5);
  });
});
