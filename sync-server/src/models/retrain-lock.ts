import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { RETRAIN_LOCK_FILE, retrainLockSchema, type RetrainLock } from '../contract';
import { isErrno } from '../storage/durable-fs';

/** The trainer's lock file in `models/`; the server takes it to roll back. */
export const LOCK_FILE = RETRAIN_LOCK_FILE;

export class LockBusyError extends Error {
  override name = 'LockBusyError';
}

/**
 * Runs `fn` holding `models/.retrain.lock`, written in the trainer's shape (`{ pid,
 * startedAt, purpose }`) so each side sees the other. A lock whose pid is dead is taken
 * over; a live one throws LockBusyError.
 */
export async function withRetrainLock<T>(modelsDir: string, fn: () => Promise<T>): Promise<T> {
  const path = join(modelsDir, LOCK_FILE);
  await acquire(path);
  try {
    return await fn();
  } finally {
    await unlink(path).catch(() => undefined);
  }
}

async function acquire(path: string): Promise<void> {
  const lock: RetrainLock = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    purpose: 'rollback',
  };
  const body = JSON.stringify(lock);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(body);
      await handle.close();
      return;
    } catch (err) {
      if (!isErrno(err, 'EEXIST')) throw err;
    }
    const pid = await holder(path);
    if (pid !== null && isAlive(pid))
      throw new LockBusyError(`a trainer run (pid ${pid}) holds ${path}`);
    await unlink(path).catch(() => undefined);
  }
  throw new LockBusyError(`could not take ${path}`);
}

async function holder(path: string): Promise<number | null> {
  try {
    // Only the pid matters here: a live holder is respected whatever else its lock says.
    const parsed = retrainLockSchema
      .pick({ pid: true })
      .safeParse(JSON.parse(await readFile(path, 'utf8')));
    return parsed.success ? parsed.data.pid : null;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isErrno(err, 'EPERM');
  }
}
