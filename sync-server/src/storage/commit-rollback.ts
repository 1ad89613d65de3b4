import type { StoreFs } from './store-fs';

/** A file replaced by write-temp-then-rename, and whether the rename happened. */
export interface PendingRename {
  path: string;
  temp: string;
  body: string;
  renamed: boolean;
}

/** What a commit writes into one subset folder. */
export interface PendingWrite {
  dir: string;
  /** True when this commit created the folder. */
  created: boolean;
  pngs: { path: string; png: Uint8Array }[];
  /** The folder's metadata.json: its rename is the commit point of `pngs`. */
  temp: PendingRename;
}

/**
 * Undoes what a failed commit wrote, and resolves true when the disk is back as it was before
 * it (the caller may then trust its in-memory state without a rescan).
 *
 * Only this commit's own files go: PNGs whose metadata.json was not renamed (no record
 * names them, no client was answered for them; a half-written one, as a full disk leaves,
 * must not later pass for a sample), its temp files, and folders it created that are empty
 * again, so a failed write leaves no empty `sub_set_N` behind. PNGs of a folder whose
 * metadata.json was renamed are committed and stay.
 */
export async function rollBackWrites(
  fs: StoreFs,
  writes: PendingWrite[],
  count: PendingRename,
  dataDir: string,
): Promise<boolean> {
  let clean = !count.renamed && writes.every((w) => !w.temp.renamed);
  const gone = (path: string) =>
    fs.unlink(path).then(
      () => true,
      (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT',
    );
  const kept = [dataDir];
  for (const w of writes) {
    if (w.temp.renamed) continue;
    const removed = await Promise.all([...w.pngs.map((p) => gone(p.path)), gone(w.temp.temp)]);
    if (removed.includes(false)) clean = false;
    const dropped =
      w.created &&
      (await fs.rmdir(w.dir).then(
        () => true,
        () => false,
      ));
    if (w.created && !dropped) clean = false;
    if (!dropped) kept.push(w.dir);
  }
  if (!count.renamed && !(await gone(count.temp))) clean = false;
  // Best effort: a removal lost to a power loss leaves an unacknowledged PNG, which the
  // start-up scan keeps as a rebuilt entry; never worse than that.
  await Promise.all(kept.map((d) => fs.fsyncDir(d))).catch(() => undefined);
  return clean;
}
