import { describe, expect, it } from 'vitest';
import { retrainLockSchema, retrainResultLineSchema } from './retrain';

describe('retrain result line', () => {
  it('accepts what the trainer prints, metrics included', () => {
    const line = { outcome: 'rejected', reason: 'holdout fell', metrics: { a: 0.9, b: null } };
    expect(retrainResultLineSchema.safeParse(line).success).toBe(true);
  });

  it.each([
    ['an unknown outcome', { outcome: 'maybe' }],
    ['a numeric version', { outcome: 'published', version: 3 }],
    ['a metric that is a string', { outcome: 'failed', metrics: { a: 'x' } }],
  ])('rejects %s', (_name, line) => {
    expect(retrainResultLineSchema.safeParse(line).success).toBe(false);
  });
});

describe('retrain lock', () => {
  it('needs an integer pid and a start time', () => {
    expect(
      retrainLockSchema.safeParse({ pid: 12, startedAt: '2026-11-26T12:00:00Z' }).success,
    ).toBe(true);
    expect(retrainLockSchema.safeParse({ pid: '12', startedAt: 'x' }).success).toBe(false);
    expect(retrainLockSchema.safeParse({ startedAt: 'x' }).success).toBe(false);
  });
});
