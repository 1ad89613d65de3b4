import { describe, expect, it } from 'vitest';
import { warmInBackground } from './warm';

const noPause = () => Promise.resolve();

describe('warmInBackground', () => {
  it('stops after the number of runs', async () => {
    let calls = 0;
    const done = await warmInBackground({
      run: async () => void calls++,
      current: () => true,
      runs: 7,
      budgetMs: 60_000,
      pause: noPause,
    });
    expect([done, calls]).toEqual([7, 7]);
  });

  it('stops once the runs used up the time budget', async () => {
    let calls = 0;
    const slow = () =>
      new Promise<void>((resolve) => {
        calls++;
        setTimeout(resolve, 20);
      });
    const done = await warmInBackground({
      run: slow,
      current: () => true,
      runs: 1000,
      budgetMs: 50,
      pause: noPause,
    });
    // 20 ms each: the budget is spent after the third run at the latest.
    expect(done).toBeGreaterThanOrEqual(1);
    expect(done).toBeLessThanOrEqual(3);
    expect(calls).toBe(done);
  });

  it('stops as soon as the model is no longer the current one', async () => {
    let calls = 0;
    const done = await warmInBackground({
      run: async () => void calls++,
      current: () => calls < 4,
      runs: 100,
      budgetMs: 60_000,
      pause: noPause,
    });
    expect([done, calls]).toEqual([4, 4]);
  });

  it('yields to other tasks before every run', async () => {
    const order: string[] = [];
    setTimeout(() => order.push('task'), 0); // queued before the warm-up starts
    await warmInBackground({
      run: async () => void order.push('run'),
      current: () => true,
      runs: 2,
      budgetMs: 60_000,
    });
    expect(order).toEqual(['task', 'run', 'run']);
  });

  it('waits for its start before the first run', async () => {
    const order: string[] = [];
    let begin = () => {};
    const start = new Promise<void>((resolve) => (begin = resolve));
    const warming = warmInBackground({
      run: async () => void order.push('run'),
      current: () => true,
      runs: 2,
      budgetMs: 60_000,
      pause: noPause,
      start,
    });
    await noPause();
    order.push('input');
    begin();
    expect(await warming).toBe(2);
    expect(order).toEqual(['input', 'run', 'run']);
  });
});
