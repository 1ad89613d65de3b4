import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoffDelay, SyncScheduler } from './sync-scheduler';
import type { SyncReport } from './sync';

const DONE: SyncReport = { outcome: 'done', acked: 0, refused: 0 };
const RETRY: SyncReport = {
  outcome: 'retry',
  acked: 0,
  refused: 0,
  message: 'x',
  retryAfterMs: null,
};
const backoff = { baseMs: 1000, maxMs: 8000, random: () => 0.999999 };

describe('backoffDelay', () => {
  it('doubles from the base and caps at the max', () => {
    expect([1, 2, 3, 4, 5, 6].map((f) => backoffDelay(f, backoff))).toEqual([
      1000, 2000, 4000, 8000, 8000, 8000,
    ]);
  });
  it('jitters down to half, never below', () => {
    expect(backoffDelay(3, { ...backoff, random: () => 0 })).toBe(2000);
  });
});

describe('SyncScheduler', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('debounces answers into one run', async () => {
    const run = vi.fn(async () => DONE);
    const s = new SyncScheduler({ run, isOnline: () => true, debounceMs: 300, backoff });
    s.soon();
    s.soon();
    s.soon();
    await vi.advanceTimersByTimeAsync(299);
    expect(run).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('backs off exponentially while failing, and resets once it succeeds', async () => {
    const outcomes = [RETRY, RETRY, RETRY, DONE];
    const times: number[] = [];
    const run = vi.fn(async () => {
      times.push(Date.now());
      return outcomes.shift() ?? DONE;
    });
    const s = new SyncScheduler({ run, isOnline: () => true, backoff });
    const start = Date.now();
    s.now();
    await vi.advanceTimersByTimeAsync(20_000);
    expect(times.map((t) => t - start)).toEqual([0, 1000, 3000, 7000]);
    s.soon();
    await vi.advanceTimersByTimeAsync(500);
    expect(run).toHaveBeenCalledTimes(5);
  });

  it('waits while offline and runs at once when told the network is back', async () => {
    let online = false;
    const run = vi.fn(async () => DONE);
    const s = new SyncScheduler({ run, isOnline: () => online, backoff });
    s.soon();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(run).not.toHaveBeenCalled();
    online = true;
    s.now();
    await vi.advanceTimersByTimeAsync(0);
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('queues exactly one more run for requests made during a run', async () => {
    let release = () => {};
    const run = vi.fn(() => new Promise<SyncReport>((r) => (release = () => r(DONE))));
    const s = new SyncScheduler({ run, isOnline: () => true, backoff });
    s.now();
    await vi.advanceTimersByTimeAsync(0);
    s.now();
    s.now();
    await vi.advanceTimersByTimeAsync(0);
    release();
    await vi.advanceTimersByTimeAsync(0);
    release();
    await vi.advanceTimersByTimeAsync(10);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('runs again when an answer held for undo becomes eligible, not before', async () => {
    // The injected clock starts at 0 and moves with the fake timers.
    const t0 = Date.now();
    const now = () => Date.now() - t0;
    const reports: SyncReport[] = [{ ...DONE, heldUntil: 5000 }, DONE];
    const run = vi.fn(async () => reports.shift() ?? DONE);
    const s = new SyncScheduler({ run, isOnline: () => true, debounceMs: 500, backoff, now });
    s.soon();
    await vi.advanceTimersByTimeAsync(500);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(4499);
    expect(run).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('keeps a sooner run rather than waiting for a held answer', async () => {
    const t0 = Date.now();
    const now = () => Date.now() - t0;
    let release = () => {};
    const run = vi
      .fn<() => Promise<SyncReport>>()
      .mockImplementationOnce(
        () => new Promise((r) => (release = () => r({ ...DONE, heldUntil: 9000 }))),
      )
      .mockResolvedValue(DONE);
    const s = new SyncScheduler({ run, isOnline: () => true, debounceMs: 500, backoff, now });
    s.now();
    await vi.advanceTimersByTimeAsync(0);
    s.soon();
    release();
    await vi.advanceTimersByTimeAsync(500);
    expect(run).toHaveBeenCalledTimes(2);
  });
});
