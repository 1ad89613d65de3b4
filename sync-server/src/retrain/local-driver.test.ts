import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { tempDirs } from '../../test/helpers';
import type { FinishedRun, RetrainDriver } from './driver';
import { createLocalDriver, interpret, trainerCommand } from './local-driver';

// A stand-in trainer: logs to stderr, records each run, ends as its mode says.
const FAKE_TRAINER = `
const fs = require('node:fs');
const [mode, runs, ms] = process.argv.slice(2);
fs.appendFileSync(runs, 'run\\n');
process.stderr.write('epoch 1/1\\n');
setTimeout(() => {
  if (mode === 'publish') console.log(JSON.stringify({ outcome: 'published', version: '2026-11-26T14-00-00-000Z', metrics: { a: 1 } }));
  if (mode === 'reject') console.log('progress\\n' + JSON.stringify({ outcome: 'rejected', reason: 'no new data' }));
  if (mode === 'fail') { console.log(JSON.stringify({ outcome: 'failed', reason: 'out of memory' })); process.exit(2); }
  if (mode === 'crash') { process.stderr.write('TypeError: boom\\n'); process.exit(1); }
  if (mode === 'hang') setInterval(() => {}, 1000);
}, Number(ms));
`;

let dirs: ReturnType<typeof tempDirs>;
let script: string;
let runsFile: string;
let finished: FinishedRun[];
let driver: RetrainDriver | null;
beforeEach(() => {
  dirs = tempDirs([]);
  script = join(dirs.root, 'fake-trainer.cjs');
  runsFile = join(dirs.root, 'runs.txt');
  writeFileSync(script, FAKE_TRAINER);
  writeFileSync(runsFile, '');
  finished = [];
  driver = null;
});
afterEach(async () => {
  await driver?.close();
  dirs.cleanup();
});

function make(mode: string, ms = 50, timeoutMs?: number, pendingAtStart?: number[]): RetrainDriver {
  driver = createLocalDriver({
    pendingAtStart,
    command: [process.execPath, script, mode, runsFile, String(ms)],
    cwd: dirs.root,
    log: silentLogger,
    timeoutMs,
    onFinished: (run) => finished.push(run),
  });
  return driver;
}
const runCount = () => readFileSync(runsFile, 'utf8').split('\n').filter(Boolean).length;
async function settled(d: RetrainDriver, runs: number): Promise<void> {
  for (let i = 0; i < 1000 && (d.status().state !== 'idle' || finished.length < runs); i++) {
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('local retrain driver', () => {
  it('runs the trainer on a seal and reports the published version', async () => {
    const d = make('publish');
    expect(d.status()).toEqual({ state: 'idle', lastRun: null });
    d.onSealed([0]);
    expect(d.status().state).toBe('running');
    await settled(d, 1);
    expect(d.status().lastRun).toMatchObject({
      outcome: 'published',
      version: '2026-11-26T14-00-00-000Z',
    });
    expect(finished[0]!.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('coalesces seals during a run into one follow-up run', async () => {
    const d = make('reject', 300);
    d.onSealed([0]);
    d.onSealed([1]);
    expect(d.status().state).toBe('queued');
    d.onSealed([2]);
    expect(d.requestRun('admin')).toBe(true);
    await settled(d, 2);
    expect(runCount()).toBe(2);
    expect(d.status().lastRun).toMatchObject({ outcome: 'rejected', reason: 'no new data' });
  });

  it('logs a failed run and still runs the next one', async () => {
    const d = make('fail');
    d.onSealed([0]);
    await settled(d, 1);
    expect(d.status().lastRun).toMatchObject({ outcome: 'failed', reason: 'out of memory' });
    d.onSealed([1]);
    await settled(d, 2);
    expect(runCount()).toBe(2);
  });

  it('counts a crash without a result line as failed, with the last stderr line', async () => {
    const d = make('crash');
    d.onSealed([0]);
    await settled(d, 1);
    expect(d.status().lastRun).toMatchObject({ outcome: 'failed', reason: 'TypeError: boom' });
  });

  it('counts a trainer that cannot start as failed, without wedging', async () => {
    driver = createLocalDriver({
      command: [join(dirs.root, 'no-such-binary')],
      cwd: dirs.root,
      log: silentLogger,
      onFinished: (run) => finished.push(run),
    });
    driver.onSealed([0]);
    await settled(driver, 1);
    expect(driver.status().lastRun?.reason).toMatch(/cannot start trainer/);
    driver.onSealed([1]);
    await settled(driver, 2);
    expect(finished).toHaveLength(2);
  });

  it('kills a run that outlives its timeout', async () => {
    const d = make('hang', 10, 300);
    d.onSealed([0]);
    await settled(d, 1);
    expect(d.status().lastRun).toMatchObject({
      outcome: 'failed',
      reason: 'trainer killed by SIGTERM',
    });
  });

  it('stops a running trainer on close', async () => {
    const d = make('hang', 10);
    d.onSealed([0]);
    await new Promise((r) => setTimeout(r, 100));
    await d.close();
    expect(d.status().state).toBe('idle');
    expect(finished[0]?.outcome).toBe('failed');
  });
});

describe('interpret', () => {
  it('needs exit 0 and a result line for success', () => {
    const line = JSON.stringify({ outcome: 'published', version: 'v' });
    expect(interpret(`log\n${line}\n`, [], 0, null)).toEqual({
      outcome: 'published',
      version: 'v',
      reason: undefined,
    });
    expect(interpret(line, [], 1, null).outcome).toBe('failed');
    expect(interpret('not json', [], 0, null)).toEqual({
      outcome: 'failed',
      reason: 'trainer printed no result line',
    });
    expect(interpret('', [], null, 'SIGKILL').reason).toBe('trainer killed by SIGKILL');
  });

  it('builds the agreed trainer command line', () => {
    expect(trainerCommand('/d', '/m')).toEqual([
      'npm',
      'run',
      '--silent',
      'retrain',
      '-w',
      'trainer',
      '--',
      '--data-dir',
      '/d',
      '--models-dir',
      '/m',
    ]);
  });

  it('runs at once for sealed subsets a stopped run left untrained, and not without them', async () => {
    const idle = make('publish', 10, undefined, []);
    expect(idle.status().state).toBe('idle');
    await idle.close();
    const d = make('publish', 10, undefined, [3, 4]);
    expect(d.status().state).toBe('running');
    await settled(d, 1);
    expect(runCount()).toBe(1);
    expect(finished.map((r) => r.outcome)).toEqual(['published']);
  });
});
