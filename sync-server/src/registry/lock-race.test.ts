import { spawnSync } from 'node:child_process';
import * as fsp from 'node:fs/promises';
import type * as FsPromises from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contender } from '../../test/lock-contender';
import { LOCK_FILE, LockBusyError, withRetrainLock } from './lock';

// Interleavings of rival takers, played deterministically: `afterRead` runs a rival's step
// right after the lock under test reads the lock file, at the exact point a stalled or
// descheduled taker would let another process run.
const afterRead: Array<() => Promise<void>> = [];
vi.mock('node:fs/promises', async (original) => {
  const real = await original<typeof FsPromises>();
  const readFile = (async (...args: Parameters<typeof real.readFile>) => {
    try {
      return await real.readFile(...args);
    } finally {
      if (String(args[0]).endsWith(LOCK_FILE)) await afterRead.shift()?.();
    }
  }) as typeof real.readFile;
  return { ...real, readFile };
});

let dir: string;
beforeEach(async () => (dir = await fsp.mkdtemp(join(tmpdir(), 'registry-lock-race-'))));
afterEach(async () => {
  afterRead.length = 0;
  await fsp.rm(dir, { recursive: true, force: true });
});

const lockPath = () => join(dir, LOCK_FILE);
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;
const body = (pid: number) => JSON.stringify({ pid, startedAt: new Date().toISOString() });

describe('withRetrainLock against rival takers', () => {
  it('never deletes the lock a rival created after the stale one vanished', async () => {
    await fsp.writeFile(lockPath(), body(deadPid()));
    // Rival: after we judged the dead holder's lock stale, it takes it over: removes it...
    afterRead.push(() => fsp.unlink(lockPath()));
    // ...and, after we found it gone, creates its own (a live pid: process.ppid).
    const rival = body(process.ppid);
    afterRead.push(() => fsp.writeFile(lockPath(), rival, { flag: 'wx' }));
    await expect(withRetrainLock(dir, async () => 'ran')).rejects.toBeInstanceOf(LockBusyError);
    expect(await fsp.readFile(lockPath(), 'utf8')).toBe(rival);
  });

  it('keeps its takeover guard while it stalls inside, however long', async () => {
    await fsp.writeFile(lockPath(), body(deadPid()));
    const rival = contender(dir);
    await rival.ready;
    let rivalOutcome = '';
    afterRead.push(async () => undefined); // our first look, outside the guard
    // Inside the guard: we stall for a minute, as far as file ages tell, and a rival tries.
    afterRead.push(async () => {
      const aMinuteAgo = new Date(Date.now() - 60_000);
      await fsp.utimes(`${lockPath()}.takeover`, aMinuteAgo, aMinuteAgo);
      rival.go();
      rivalOutcome = await rival.outcome;
    });
    const ours = await withRetrainLock(dir, async () => 'ran').catch(String);
    rival.release();
    await rival.closed;
    expect([ours, rivalOutcome]).toEqual(['ran', 'busy']);
  }, 60_000);
});
