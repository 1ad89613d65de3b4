import { randomBytes } from 'node:crypto';
import { closeSync, fdatasync, openSync, writeFileSync } from 'node:fs';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Suffix of every temp file this module writes. */
export const TEMP_SUFFIX = '.tmp';

// `.<name>.<8 hex>.tmp`: exactly what `tempPathFor` makes, so a clean-up touches nothing else.
const TEMP_NAME = /^\..+\.[0-9a-f]{8}\.tmp$/;

/** A temp name in the same folder (rename is only atomic within one file system). */
export function tempPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}${TEMP_SUFFIX}`);
}

/** True for a file name `tempPathFor` could have made: the only names a clean-up may delete. */
export function isTempFileName(name: string): boolean {
  return TEMP_NAME.test(name);
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
 * Replaces `path` atomically and durably: temp file, fsync, rename, fsync the folder. A
 * reader sees the old or the new content, never a mix, and once this resolves the new
 * content survives a power loss.
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
  await fsyncDir(dirname(path));
}

/**
 * Appends one line to `path` (created when missing) and flushes it before resolving. A crash
 * mid-append can leave a torn last line; readers of such logs ignore it.
 */
export async function appendLineSynced(path: string, line: string): Promise<void> {
  const handle = await open(path, 'a', 0o644);
  try {
    await handle.appendFile(`${line}\n`);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  // The first append created the name: make it durable too (cheap when it already was).
  await fsyncDir(dirname(path));
}

/** Flushes a folder's entries (created, renamed, deleted names) to the disk. */
export async function fsyncDir(path: string): Promise<void> {
  let handle;
  try {
    handle = await open(path, 'r');
    await handle.sync();
  } catch (err) {
    // Windows cannot open or sync folders, nor can some network file systems; the rename is
    // still atomic there, only its durability is the OS's.
    if (!isErrno(err, 'EISDIR', 'EPERM', 'EACCES', 'EINVAL')) throw err;
  } finally {
    await handle?.close();
  }
}

/** A text file's contents, or null when it does not exist; any other error throws. */
export async function readTextIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null;
    throw err;
  }
}

/** True when `err` is a Node file-system error with one of `codes`. */
export function isErrno(err: unknown, ...codes: string[]): boolean {
  return err instanceof Error && codes.includes((err as NodeJS.ErrnoException).code ?? '');
}
