import { spawn, spawnSync } from 'node:child_process';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tiny-model';
import { LOCK_FILE, LockBusyError, withLock } from './lock';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const lockPath = () => join(dir, LOCK_FILE);
const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );
// The pid of a process that has certainly exited.
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('withLock', () => {
  it('holds a file with our pid while running and removes it after, even on throw', async () => {
    await withLock(dir, async () => {
      expect(JSON.parse(await readFile(lockPath(), 'utf8')).pid).toBe(process.pid);
    });
    expect(await exists(lockPath())).toBe(false);
    await expect(withLock(dir, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await exists(lockPath())).toBe(false);
  });

  it('refuses while a live process holds it and leaves that lock alone', async () => {
    const body = JSON.stringify({ pid: process.ppid, startedAt: new Date().toISOString() });
    await writeFile(lockPath(), body);
    await expect(withLock(dir, async () => 1)).rejects.toBeInstanceOf(LockBusyError);
    expect(await readFile(lockPath(), 'utf8')).toBe(body);
  });

  it('takes over a lock whose pid is dead', async () => {
    await writeFile(
      lockPath(),
      JSON.stringify({ pid: deadPid(), startedAt: new Date().toISOString() }),
    );
    expect(await withLock(dir, async () => 'ran')).toBe('ran');
  });

  it('takes over a lock older than the stale timeout even if its pid lives', async () => {
    const old = new Date(Date.now() - 10_000).toISOString();
    await writeFile(lockPath(), JSON.stringify({ pid: process.ppid, startedAt: old }));
    expect(await withLock(dir, async () => 'ran', { staleMs: 5000 })).toBe('ran');
  });

  it('is re-entrant within one call chain but exclusive between concurrent ones', async () => {
    let inner = '';
    await withLock(dir, async () => {
      inner = await withLock(dir, async () => 'nested');
      await expect(withLock(dir, async () => 'x')).resolves.toBe('x');
    });
    expect(inner).toBe('nested');
    let release!: () => void;
    const first = withLock(dir, () => new Promise<void>((r) => (release = r)));
    await new Promise((r) => setTimeout(r, 20));
    await expect(withLock(dir, async () => 'second')).rejects.toBeInstanceOf(LockBusyError);
    release();
    await first;
  });

  it('lets exactly one of several processes racing for a stale lock win', async () => {
    await writeFile(
      lockPath(),
      JSON.stringify({ pid: deadPid(), startedAt: new Date().toISOString() }),
    );
    const goAt = Date.now() + 3000;
    const runs = [1, 2, 3].map(() => contend(dir, goAt));
    const outcomes = (await Promise.all(runs)).sort();
    expect(outcomes).toEqual(['busy', 'busy', 'won']);
  }, 20_000);
});

// A separate process that waits until `goAt`, then tries the lock and holds it for 1 s.
function contend(modelsDir: string, goAt: number): Promise<string> {
  const script = `
    import { withLock, LockBusyError } from ${JSON.stringify(new URL('./lock.ts', import.meta.url).pathname)};
    while (Date.now() < ${goAt}) await new Promise((r) => setTimeout(r, 2));
    try {
      await withLock(${JSON.stringify(modelsDir)}, () => new Promise((r) => setTimeout(r, 1000)));
      process.stdout.write('won');
    } catch (err) {
      process.stdout.write(err instanceof LockBusyError ? 'busy' : String(err));
    }`;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('close', () => resolve(out.trim()));
  });
}
