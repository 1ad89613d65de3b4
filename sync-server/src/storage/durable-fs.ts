import { randomBytes } from 'node:crypto';
import { closeSync, fdatasync, openSync, writeFileSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Suffix of every temp file this module writes; a start-up scan deletes leftovers. */
export const TEMP_SUFFIX = '.tmp';

/** A temp name in the same folder (rename is only atomic within one file system). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

/**
 * Writes `data` to `path` and flushes it to the disk before resolving. The caller must
 * fsync the folder afterwards for the name itself to be durable.
 *
 * Open and write are synchronous: for the small files written here they only touch the page
 * cache and cost less than two thread-pool round trips; the flush, which waits on the disk,
 * runs on the pool so many overlap.
 */
export async function writeFileSynced(path: string, data: Uint8Array | string): Promise<void> {
  const fd = openSync(path, 'w', 0o644);
  try {
    writeFileSync(fd, data);
    // datasync flushes the bytes and the size, which is all a new file's content needs.
    await new Promise<void>((resolve, reject) =>
      fdatasync(fd, (err) => (err ? reject(err) : resolve())),
    );
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `path` atomically: temp file, fsync, rename. A reader sees the old or the new
 * content, never a mix. The folder still needs an fsync for the rename to survive power loss.
 */
export async function replaceFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const temp = tempPathFor(path);
  try {
    await writeFileSynced(temp, data);
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => undefined);
    throw err;
  }
}

/** Flushes a folder's entries (created, renamed, deleted names) to the disk. */
export async function fsyncDir(path: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** True when `err` is a Node file-system error with this code. */
export function isErrno(err: unknown, code: string): boolean {
  return err instanceof Error && (err as NodeJS.ErrnoException).code === code;
}
