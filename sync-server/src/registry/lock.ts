import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { RETRAIN_LOCK_FILE } from '../contract';
import {
  createExclusive,
  isStale,
  newBody,
  readSnapshot,
  removeIfUnchanged,
  removeOwn,
} from './lock-file';

export { isAlive } from './lock-file';

export const LOCK_FILE = RETRAIN_LOCK_FILE;
/** A lock older than this is taken over even if its pid looks alive (pids get reused). */
export const DEFAULT_STALE_MS = 3 * 60 * 60 * 1000;

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

// Lock paths the current async call chain holds: publishVersion inside a retrain run re-enters
// the lock the run took instead of deadlocking on itself. Unrelated concurrent calls in the same
// process do not see it, and `held` makes them fail as busy like any other process would.
const context = new AsyncLocalStorage<ReadonlySet<string>>();
const held = new Set<string>();

/**
 * Runs `fn` holding `models/.retrain.lock`, the one lock of everything that writes `models/`:
 * the trainer's runs, and the server's rollbacks and pulls. The lock file holds our pid; a lock
 * whose pid is dead, or that is older than `staleMs`, is taken over, so a crashed run never
 * wedges it. The lock appears with its whole body at once, and a takeover deletes only the
 * exact lock it judged stale (see removeIfUnchanged), so no taker ever deletes a lock another
 * just took, however long any of them stalls.
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
  let body: string;
  try {
    body = await acquire(path, options);
  } catch (err) {
    held.delete(path);
    throw err;
  }
  try {
    return await context.run(new Set([...mine, path]), fn);
  } finally {
    held.delete(path);
    await removeOwn(path, body);
  }
}

// Returns the body we wrote, which identifies our lock when we release it.
async function acquire(path: string, options: LockOptions): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  const body = newBody(options.purpose);
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  // A few tries: a try after a stale lock was removed can still lose to another taker.
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(path, body)) return body;
    const found = await readSnapshot(path);
    if (!found) continue;
    if (!isStale(found, staleMs)) throw new LockBusyError(path, found.holder?.pid ?? -1);
    await removeIfUnchanged(path, found.text, staleMs);
  }
  const found = await readSnapshot(path);
  throw new LockBusyError(path, found?.holder?.pid ?? -1);
}
