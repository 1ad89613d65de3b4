import { mkdir, rename, rmdir, unlink } from 'node:fs/promises';
import { fsyncDir, writeFileSynced } from '../registry';

/**
 * The file-system calls a commit makes, injectable so tests can make the disk fail (a full
 * disk cannot be produced in CI). Production uses `nodeStoreFs`.
 */
export interface StoreFs {
  /** Creates a folder (and its parents); resolves with the first one it created, if any. */
  mkdir(path: string): Promise<string | undefined>;
  writeFileSynced(path: string, data: Uint8Array | string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** Removes an empty folder; fails on a non-empty one. */
  rmdir(path: string): Promise<void>;
  fsyncDir(path: string): Promise<void>;
}

export const nodeStoreFs: StoreFs = {
  mkdir: (path) => mkdir(path, { recursive: true }),
  writeFileSynced,
  rename,
  unlink,
  rmdir: (path) => rmdir(path),
  fsyncDir,
};

/**
 * The errno code (`ENOSPC`, `EROFS`, `EIO`, ...) of a failed file-system call, or null for
 * any other error (a bug, which stays a 500).
 */
export function fsErrorCode(err: unknown): string | null {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && /^E[A-Z0-9]+$/.test(code) ? code : null;
}
