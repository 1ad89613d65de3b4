import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir, open, readFile, rmdir, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { RETRAIN_LOCK_FILE, retrainLockSchema, type RetrainLock } from '../contract';
import { isErrno } from './durable-fs';

export const LOCK_FILE = RETRAIN_LOCK_FILE;
/** A lock older than this is taken over even if its pid looks alive (pids get reused). */
export const DEFAULT_STALE_MS = 3 * 60 * 60 * 1000;
const GUARD_STALE_MS = 10_000;

/** The lock is held by another live run (a retrain, a rollback or a pull). */
export class LockBusyError extends Error {
  constructor(
    readonly path: string,
    readonly holderPid: number,
  ) {
    super(`another run (pid ${holderPid}) holds ${path}`);
    this.name = 'LockBusyError';
  }
}

export interface LockOptions {
  staleMs?: number;
  /** Written into the lock for whoever finds it. */
  purpose?: string;
}

interface LockBody extends RetrainLock {
  /** Set when the file is unreadable but fresh: its writer may still be writing it. */
  writing?: boolean;
}

// Lock paths the current async call chain holds: publishVersion inside a retrain run re-enters
// the lock the run took instead of deadlocking on itself. Unrelated concurrent calls in the same
// process do not see it, and `held` makes them fail as busy like any other process would.
const context = new AsyncLocalStorage<ReadonlySet<string>>();
const held = new Set<string>();

/**
 * Runs `fn` holding `models/.retrain.lock`, the one lock of everything that writes `models/`:
 * the trainer's runs, and the server's rollbacks and pulls. The lock file holds our pid; a lock
 * whose pid is dead, or that is older than `staleMs`, is taken over, so a crashed run never
 * wedges it. A lock file that is still being written counts as held, and a takeover re-reads
 * the holder under the `.takeover` guard, so no taker ever deletes a lock another just took.
 * Throws LockBusyError when another run holds it. Re-entrant within one call chain.
 */
export async function withRetrainLock<T>(
  modelsDir: string,
  fn: () => Promise<T>,
  options: LockOptions = {},
): Promise<T> {
  const path = resolve(modelsDir, LOCK_FILE);
  const mine = context.getStore() ?? new Set<string>();
  if (mine.has(path)) return fn();
  if (held.has(path)) throw new LockBusyError(path, process.pid);
  held.add(path);
  try {
    await acquire(path, options);
  } catch (err) {
    held.delete(path);
    throw err;
  }
  try {
    return await context.run(new Set([...mine, path]), fn);
  } finally {
    held.delete(path);
    await unlink(path).catch(() => undefined);
  }
}

async function acquire(path: string, options: LockOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const body: LockBody = { pid: process.pid, startedAt: new Date().toISOString() };
  if (options.purpose) body.purpose = options.purpose;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  // A few tries: a try after a stale lock was removed can still lose to another taker.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify(body));
      await handle.close();
      return;
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err;
    }
    const holder = await readHolder(path);
    if (holder && !isStale(holder, staleMs)) throw new LockBusyError(path, holder.pid);
    await removeIfStale(path, staleMs);
  }
  const holder = await readHolder(path);
  throw new LockBusyError(path, holder?.pid ?? -1);
}

// Removing a stale lock is itself serialized by an exclusive mkdir, and the holder is re-read
// inside it: otherwise a slow taker could delete the fresh lock a faster taker just created.
async function removeIfStale(path: string, staleMs: number): Promise<void> {
  const guard = `${path}.takeover`;
  try {
    await mkdir(guard);
  } catch (err) {
    if (!isErrno(err, 'EEXIST')) throw err;
    // A guard left by a crash inside this tiny section is cleared after a while.
    const age = await stat(guard).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age > GUARD_STALE_MS) await rmdir(guard).catch(() => undefined);
    return;
  }
  try {
    const holder = await readHolder(path);
    if (!holder || isStale(holder, staleMs)) await unlink(path).catch(() => undefined);
  } finally {
    await rmdir(guard).catch(() => undefined);
  }
}

// The holder named in the lock, or null when there is none. An unreadable file counts as
// being written (busy) while it is young and as stale garbage once it is older.
async function readHolder(path: string): Promise<LockBody | null> {
  try {
    const body = retrainLockSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    if (body.success) return { pid: body.data.pid, startedAt: body.data.startedAt };
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null;
  }
  const age = await stat(path).then(
    (s) => Date.now() - s.mtimeMs,
    () => Infinity,
  );
  return age > GUARD_STALE_MS
    ? null
    : { pid: -1, startedAt: new Date().toISOString(), writing: true };
}

function isStale(holder: LockBody, staleMs: number): boolean {
  if (holder.writing) return false;
  if (Date.now() - Date.parse(holder.startedAt) > staleMs) return true;
  // Our own pid while we hold nothing there: a leftover of this process (held is checked first).
  if (holder.pid === process.pid) return true;
  return !isAlive(holder.pid);
}

/** True while process `pid` exists (on this machine), whoever owns it. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return isErrno(err, 'EPERM');
  }
}
