import { describe, expect, it } from 'vitest';
import { historyEntrySchema } from 'sync-server/contract';
import { Run } from './run';

describe('Run', () => {
  it('records non-finite metrics as null, so the history entry stays valid', () => {
    const run = new Run(new Date(Date.now() - 1000));
    Object.assign(run.metrics, { trainLoss: Number.NaN, rate: Infinity, acc: 0.5, holdout: null });
    const metrics = run.snapshot();
    expect(metrics).toMatchObject({ trainLoss: null, rate: null, acc: 0.5, holdout: null });
    expect(metrics.durationMs).toBeGreaterThanOrEqual(1000);
    const entry = { startedAt: run.startedAt.toISOString(), finishedAt: new Date().toISOString() };
    expect(historyEntrySchema.safeParse({ ...entry, outcome: 'failed', metrics }).success).toBe(
      true,
    );
  });

  it('times phases even when they throw', async () => {
    const run = new Run(new Date());
    await expect(run.time('boom', () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(run.phasesMs.boom).toBeGreaterThanOrEqual(0);
    expect(run.result('failed', 'x').phasesMs).toHaveProperty('boom');
  });
});
