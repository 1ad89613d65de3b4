import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import {
  COUNT_FILE,
  countFileSchema,
  METADATA_FILE,
  metadataFileSchema,
  parseSubsetDirName,
  type MetadataEntry,
} from '../contract';
import type { Logger } from '../log';
import { fsyncDir, isErrno, openSubsetIndex, replaceFileAtomic, TEMP_SUFFIX } from '../registry';
import { countOf, type DataState, type SubsetState } from './data-state';

/** A metadata.json that does not parse: the server refuses to guess what it held. */
export class CorruptDataError extends Error {
  override name = 'CorruptDataError';
}

/**
 * Rebuilds the state from `new_data/` and repairs the folder to match it.
 *
 * metadata.json is the commit record: the writer renames it into place only after the PNGs
 * it names are on disk, and answers the client after that. So on start
 * - a PNG no metadata.json names was never acknowledged (a crash mid-commit): deleted;
 *   the client still holds the item and resends it, and its id is not in the index;
 * - leftover temp files are deleted;
 * - an entry of ours whose PNG is missing (possible only after a power loss mid-commit,
 *   before the answer) is dropped; an original entry without its PNG (seen in the original
 *   system's data) is kept and logged;
 * - count.json is rewritten when it disagrees with the folders.
 */
export async function scanDataDir(
  dataDir: string,
  threshold: number,
  log: Logger,
): Promise<DataState> {
  await mkdir(dataDir, { recursive: true });
  const subsets = new Map<number, SubsetState>();
  const ids = new Set<string>();
  let total = 0;
  for (const dirent of await readdir(dataDir, { withFileTypes: true })) {
    const name = dirent.name;
    if (name.endsWith(TEMP_SUFFIX)) await removeLeftover(join(dataDir, name), log);
    const index = parseSubsetDirName(name);
    if (index === null || !dirent.isDirectory()) continue;
    const subset = await scanSubset(join(dataDir, name), index, log);
    subsets.set(index, subset);
    total += subset.entries.length;
    for (const e of subset.entries) {
      if (!e.id) continue;
      if (ids.has(e.id)) log.warn('id stored twice', { id: e.id, subset: index });
      ids.add(e.id);
    }
  }
  const sizes = new Map([...subsets].map(([i, s]) => [i, s.entries.length]));
  const openIndex = await openSubsetIndex(dataDir, sizes, threshold);
  const state: DataState = { subsets, ids, total, openIndex };
  await reconcileCountFile(dataDir, state, log);
  return state;
}

async function scanSubset(dir: string, index: number, log: Logger): Promise<SubsetState> {
  const listed = await readMetadata(join(dir, METADATA_FILE));
  const files = await readdir(dir);
  const present = new Set(files);
  // Our entries (with an id) whose PNG is gone were never acknowledged (see `writePlan`):
  // drop them so the client's resend is stored. Original entries stay, missing or not.
  const entries = listed.filter((e) => !e.id || present.has(e.filename));
  if (entries.length < listed.length) {
    await replaceFileAtomic(join(dir, METADATA_FILE), `${JSON.stringify(entries, null, 2)}\n`);
    log.warn('dropped unacknowledged entries without a PNG', {
      subset: index,
      dropped: listed.length - entries.length,
    });
  }
  const names = new Set(entries.map((e) => e.filename));
  let removed = 0;
  for (const file of files) {
    const orphan = file.endsWith('.png') && !names.has(file);
    if (orphan || file.endsWith(TEMP_SUFFIX)) {
      await removeLeftover(join(dir, file), log);
      removed++;
    }
  }
  if (removed > 0 || entries.length < listed.length) await fsyncDir(dir);
  const missing = entries.filter((e) => !present.has(e.filename)).map((e) => e.filename);
  if (missing.length > 0) log.warn('metadata names missing PNG files', { subset: index, missing });
  return { index, entries, names };
}

async function readMetadata(path: string): Promise<MetadataEntry[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return [];
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CorruptDataError(`${path} is not JSON: ${(err as Error).message}`);
  }
  const parsed = metadataFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CorruptDataError(`${path}: ${issue?.path.join('.')} ${issue?.message}`);
  }
  return parsed.data;
}

async function removeLeftover(path: string, log: Logger): Promise<void> {
  await unlink(path).catch((err: unknown) => {
    if (!isErrno(err, 'ENOENT')) throw err;
  });
  log.warn('removed a file no commit recorded', { path });
}

async function reconcileCountFile(dataDir: string, state: DataState, log: Logger): Promise<void> {
  const path = join(dataDir, COUNT_FILE);
  const want = countOf(state);
  const have = await readFile(path, 'utf8')
    .then((text) => countFileSchema.parse(JSON.parse(text)))
    .catch(() => null);
  if (JSON.stringify(have) === JSON.stringify(want)) return;
  await replaceFileAtomic(path, `${JSON.stringify(want)}\n`);
  await fsyncDir(dataDir);
  log.info('count.json rebuilt from the folders', { was: have, now: want });
}
