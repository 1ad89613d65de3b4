import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Writes `data` to `path` and fsyncs it, so a crash after this returns cannot lose it. */
export async function writeFileDurable(path: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(path, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Fsyncs a directory so renames and creations inside it survive a crash (no-op where unsupported). */
export async function fsyncDir(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (err) {
    // Windows cannot open or sync directories; the rename is still atomic there.
    if (!isErrno(err, 'EISDIR', 'EPERM', 'EACCES', 'EINVAL')) throw err;
  } finally {
    await handle?.close();
  }
}

/**
 * Replaces `path` so readers see either the old or the new content, never a mix:
 * write a temp file beside it, fsync, rename over, fsync the folder.
 */
export async function replaceFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temp = `${path}.tmp-${process.pid}`;
  await writeFileDurable(temp, data);
  await rename(temp, path);
  await fsyncDir(dirname(path));
}

/** True when `err` is a Node system error with one of `codes`. */
export function isErrno(err: unknown, ...codes: string[]): boolean {
  return err instanceof Error && codes.includes((err as NodeJS.ErrnoException).code ?? '');
}
