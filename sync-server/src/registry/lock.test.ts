import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contender } from '../../test/lock-contender';
import { LOCK_FILE, LockBusyError, withRetrainLock } from './lock';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'registry-lock-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const lockPath = () => join(dir, LOCK_FILE);
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );
// The pid of a process that has certainly exited.
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('withRetrainLock', () => {
  it('holds a file with our pid while running and removes it after, even on throw', async () => {
    await withRetrainLock(dir, async () => {
      expect(JSON.parse(await readFile(lockPath(), 'utf8')).pid).toBe(process.pid);
    });
    expect(await exists(lockPath())).toBe(false);
    await expect(withRetrainLock(dir, () => Promise.reject(new Error('boom')))).rejects.toThrow(
      'boom',
    );
    expect(await exists(lockPath())).toBe(false);
  });

  it('refuses while a live process holds it and leaves that lock alone', async () => {
    const body = JSON.stringify({ pid: process.ppid, startedAt: new Date().toISOString() });
    await writeFile(lockPath(), body);
    await expect(withRetrainLock(dir, async () => 1)).rejects.toBeInstanceOf(LockBusyError);
    expect(await readFile(lockPath(), 'utf8')).toBe(body);
  });

  it('takes over a lock whose pid is dead', async () => {
    await writeFile(
      lockPath(),
      JSON.stringify({ pid: deadPid(), startedAt: new Date().toISOString() }),
    );
    expect(await withRetrainLock(dir, async () => 'ran')).toBe('ran');
  });

  it('takes over a lock older than the stale timeout even if its pid lives', async () => {
    const old = new Date(Date.now() - 10_000).toISOString();
    await writeFile(lockPath(), JSON.stringify({ pid: process.ppid, startedAt: old }));
    expect(await withRetrainLock(dir, async () => 'ran', { staleMs: 5000 })).toBe('ran');
  });

  it('is re-entrant within one call chain but exclusive between concurrent ones', async () => {
    let inner = '';
    await withRetrainLock(dir, async () => {
      inner = await withRetrainLock(dir, async () => 'nested');
      await expect(withRetrainLock(dir, async () => 'x')).resolves.toBe('x');
    });
    expect(inner).toBe('nested');
    let release!: () => void;
    let first!: Promise<void>;
    const held = new Promise<void>((entered) => {
      first = withRetrainLock(dir, () => new Promise<void>((r) => ((release = r), entered())));
    });
    await held;
    await expect(withRetrainLock(dir, async () => 'second')).rejects.toBeInstanceOf(LockBusyError);
    release();
    await first;
  });

  it('never deletes a lock file that its taker is still writing', async () => {
    // The taker created the file ('wx') and has not written its body yet: the old server rule
    // read no pid there and deleted it.
    await writeFile(lockPath(), '');
    await expect(withRetrainLock(dir, async () => 1)).rejects.toBeInstanceOf(LockBusyError);
    expect(await exists(lockPath())).toBe(true);
  });

  it('leaves a stale lock alone while another taker is inside the takeover guard', async () => {
    const body = JSON.stringify({ pid: deadPid(), startedAt: new Date().toISOString() });
    await writeFile(lockPath(), body);
    await mkdir(`${lockPath()}.takeover`);
    await expect(withRetrainLock(dir, async () => 1)).rejects.toBeInstanceOf(LockBusyError);
    expect(await readFile(lockPath(), 'utf8')).toBe(body);
  });

  it('clears a takeover guard whose taker died inside it', async () => {
    await writeFile(
      lockPath(),
      JSON.stringify({ pid: deadPid(), startedAt: new Date().toISOString() }),
    );
    await writeFile(
      `${lockPath()}.takeover`,
      JSON.stringify({ pid: deadPid(), startedAt: new Date().toISOString() }),
    );
    expect(await withRetrainLock(dir, async () => 'ran')).toBe('ran');
    expect(await exists(`${lockPath()}.takeover`)).toBe(false);
  });

  it('leaves the lock of whoever took it over from us when it ends', async () => {
    const theirs = JSON.stringify({ pid: process.ppid, startedAt: new Date().toISOString() });
    // Our run outlived the stale timeout and another took the lock over meanwhile.
    await withRetrainLock(dir, () => writeFile(lockPath(), theirs));
    expect(await readFile(lockPath(), 'utf8')).toBe(theirs);
  });

  it('keeps the trainer’s lock when the server checks it for staleness', async () => {
    const trainer = contender(dir);
    await trainer.ready;
    trainer.go();
    expect(await trainer.outcome).toBe('won');
    const held = await readFile(lockPath(), 'utf8');
    // The server's side (a rollback or a pull) finds the lock, checks it, and backs off.
    await expect(withRetrainLock(dir, async () => 'rolled back')).rejects.toBeInstanceOf(
      LockBusyError,
    );
    expect(await readFile(lockPath(), 'utf8')).toBe(held);
    trainer.release();
    await trainer.closed;
    expect(await exists(lockPath())).toBe(false);
  }, 60_000);

  it('lets exactly one of several processes racing for a stale lock win', async () => {
    await writeFile(
      lockPath(),
      JSON.stringify({ pid: deadPid(), startedAt: new Date().toISOString() }),
    );
    const children = [1, 2, 3].map(() => contender(dir));
    // Start the race only once all three have loaded and wait on stdin, however slow the box.
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    // The winner holds the lock until every contender has answered, so a slow one cannot
    // find it released and win too.
    const outcomes = await Promise.all(children.map((c) => c.outcome));
    for (const c of children) c.release();
    await Promise.all(children.map((c) => c.closed));
    expect(outcomes.sort()).toEqual(['busy', 'busy', 'won']);
  }, 60_000);
});
