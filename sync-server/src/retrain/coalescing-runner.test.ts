import { describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { CoalescingRunner, type RunResult } from './coalescing-runner';

/** A run that waits until the test releases it, so requests can arrive while it is going. */
function gatedRuns(results: (RunResult | null)[]) {
  const releases: (() => void)[] = [];
  let started = 0;
  const run = async () => {
    const result = results[started++] ?? null;
    await new Promise<void>((r) => releases.push(r));
    return result;
  };
  return { run, release: () => releases.shift()?.(), started: () => started };
}

describe('CoalescingRunner', () => {
  it('coalesces requests made during a run into one follow-up run', async () => {
    const gate = gatedRuns([{ outcome: 'rejected' }, { outcome: 'published', version: 'v2' }]);
    const runner = new CoalescingRunner({ log: silentLogger, run: gate.run });
    runner.request('a');
    runner.request('b');
    runner.request('c');
    expect(runner.state()).toBe('queued');
    gate.release();
    await expect.poll(() => gate.started()).toBe(2);
    expect(runner.state()).toBe('running');
    gate.release();
    await runner.idle();
    expect(gate.started()).toBe(2);
    expect(runner.state()).toBe('idle');
    expect(runner.lastRun()).toMatchObject({ outcome: 'published', version: 'v2' });
  });

  it('records a throw as a failed run, and a null result (handed on) as no last run', async () => {
    let calls = 0;
    const runner = new CoalescingRunner({
      log: silentLogger,
      run: async () => {
        if (++calls === 1) throw new Error('boom');
        return null;
      },
    });
    runner.request('first');
    await runner.idle();
    expect(runner.lastRun()).toMatchObject({ outcome: 'failed', reason: 'boom' });
    runner.request('second');
    await runner.idle();
    expect(runner.lastRun()).toBeNull();
  });

  it('close() aborts the running job, drops the queued one and refuses new requests', async () => {
    let runs = 0;
    const runner = new CoalescingRunner({
      log: silentLogger,
      run: (signal) => {
        runs++;
        return new Promise((resolve) =>
          signal.addEventListener('abort', () => resolve({ outcome: 'failed', reason: 'stop' })),
        );
      },
    });
    runner.request('a');
    runner.request('b');
    await runner.close();
    runner.request('c');
    expect(runs).toBe(1);
    expect(runner.state()).toBe('idle');
  });
});
