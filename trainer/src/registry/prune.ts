import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { versionSchema, type Manifest, type ManifestVersion } from 'sync-server/contract';
import { isAlive } from 'sync-server/registry';

/** Versions kept on disk besides the live one (the seed system's rule). */
export const KEEP_BESIDES_LIVE = 3;
export const TEMP_PREFIX = '.tmp-';

/** The live version plus the newest `keep` others, oldest first; the rest is dropped. */
export function planPrune(
  manifest: Pick<Manifest, 'current' | 'versions'>,
  keep = KEEP_BESIDES_LIVE,
): { kept: ManifestVersion[]; dropped: ManifestVersion[] } {
  const sorted = [...manifest.versions].sort((a, b) => a.version.localeCompare(b.version));
  const others = sorted.filter((v) => v.version !== manifest.current);
  const keepOthers = new Set(others.slice(Math.max(0, others.length - keep)).map((v) => v.version));
  const isKept = (v: ManifestVersion) =>
    v.version === manifest.current || keepOthers.has(v.version);
  return { kept: sorted.filter(isKept), dropped: sorted.filter((v) => !isKept(v)) };
}

/** `.tmp-<version>-<pid>`: where a version is written before it is renamed into place. */
export function tempDirName(version: string): string {
  return `${TEMP_PREFIX}${version}-${process.pid}`;
}

/**
 * Deletes what the manifest no longer names: version folders outside `kept` (pruned ones, or
 * orphans of a run that crashed between renaming its folder and writing the manifest) and
 * temp folders of processes that are gone. Call it holding the lock, after the manifest is
 * written, so no reader is ever pointed at a deleted folder. Returns the removed names.
 */
export async function removeStrays(
  modelsDir: string,
  kept: ReadonlySet<string>,
): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of await readdir(modelsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const isOrphan = versionSchema.safeParse(entry.name).success && !kept.has(entry.name);
    if (isOrphan || isDeadTemp(entry.name)) {
      await rm(join(modelsDir, entry.name), { recursive: true, force: true });
      removed.push(entry.name);
    }
  }
  return removed;
}

function isDeadTemp(name: string): boolean {
  if (!name.startsWith(TEMP_PREFIX)) return false;
  const pid = Number(/-(\d+)$/.exec(name)?.[1]);
  return pid !== process.pid && !isAlive(pid);
}
