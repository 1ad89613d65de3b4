import { describe, expect, it } from 'vitest';
import { fitAxis, tickDigits } from './chart-scale';

describe('fitAxis', () => {
  it('fits a small slide instead of 0–100 %', () => {
    const axis = fitAxis([0.9962, 0.9941]);
    expect(axis.min).toBeGreaterThan(0.98);
    expect(axis.max).toBeLessThanOrEqual(1);
    expect(axis.min).toBeLessThanOrEqual(0.9941);
    expect(axis.max).toBeGreaterThanOrEqual(0.9962);
    expect(axis.ticks.length).toBeGreaterThanOrEqual(2);
    expect(axis.ticks.length).toBeLessThanOrEqual(6);
  });

  it('spans a wide range when the data does, and stays within 0 and 1', () => {
    const axis = fitAxis([0.2, 0.99]);
    expect(axis.min).toBeGreaterThanOrEqual(0);
    expect(axis.min).toBeLessThanOrEqual(0.2);
    expect(axis.max).toBe(1);
  });

  it('gives a band around one value and the full range for none', () => {
    const one = fitAxis([0.5]);
    expect(one.min).toBeLessThan(0.5);
    expect(one.max).toBeGreaterThan(0.5);
    expect(fitAxis([])).toMatchObject({ min: 0, max: 1 });
  });
});

describe('tickDigits', () => {
  it('uses enough decimals for neighbouring ticks to differ', () => {
    const axis = fitAxis([0.9962, 0.9941]);
    const labels = axis.ticks.map((t) => (t * 100).toFixed(tickDigits(axis)));
    expect(new Set(labels).size).toBe(labels.length);
  });
});
