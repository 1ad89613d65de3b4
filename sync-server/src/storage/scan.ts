import { closeSync, openSync, readdirSync, readFileSync, readSync, type Dirent } from 'node:fs';
import { mkdir, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { basename, join } from 'node:path';
import {
  COUNT_FILE,
  countFileSchema,
  entryFromPngName,
  METADATA_FILE,
  metadataFileSchema,
  parsePngFileName,
  parseSubsetDirName,
  subsetDirName,
  type CountFile,
  type MetadataEntry,
} from '../contract';
import type { Logger } from '../log';
import {
  fsyncDir,
  isErrno,
  isTempFileName,
  openSubsetIndex,
  readCountFile,
  replaceFileAtomic,
} from '../registry';
import { countOf, type DataState, type SubsetState } from './data-state';

/** Folder in `new_data/` where the scan moves what it must not keep in a subset. */
export const QUARANTINE_DIR = '.quarantine';

// Subsets read between two turns of the event loop. The reads are synchronous: on a start
// with a long history, tens of thousands of small reads through the thread pool cost far
// more in round trips than in disk time; a rescan while serving still lets requests in
// between batches.
const SUBSETS_PER_TURN = 256;

// How to recover, appended to the one-line start error.
const MOVE_ASIDE = '; move it aside and restart to rebuild its entries from the PNG names';

/** A metadata.json that does not parse: the server refuses to guess what it held. */
export class CorruptDataError extends Error {
  override name = 'CorruptDataError';
}

/**
 * Rebuilds the state from `new_data/` and repairs the folder to match it.
 *
 * metadata.json is the commit record: the writer renames it into place only after the PNGs
 * it names are on disk, and answers the client after that. So on start
 * - a PNG that follows the name rule but that no metadata.json names is never deleted. In a
 *   folder whose metadata.json is lost although the seal record (count.json) says it held
 *   acknowledged items, its entry is rebuilt from the file name (label, time, id prefix) and
 *   written, with a warning (a resend completes it, see `planAdoptions`). Otherwise it is the
 *   PNG of a crashed commit that was never acknowledged: it is moved into `.quarantine/`,
 *   with a warning, and the client's resend stores the item anew;
 * - leftover temp files of the server's own pattern (`isTempFileName`) are deleted; any other
 *   file is left alone, except a non-file bearing a PNG name, which is moved into
 *   `.quarantine/` because it would block a write of that name;
 * - an entry of ours whose PNG is missing (possible only after a power loss mid-commit,
 *   before the answer) is dropped; an original entry without its PNG (seen in the original
 *   system's data) is kept and logged;
 * - count.json is rewritten when it disagrees with the folders.
 * A corrupt metadata.json stops the start (`CorruptDataError`): the writer never leaves one,
 * so it means outside damage or a hand edit, and rebuilding would overwrite what it still
 * holds (ids, predictions). Moving it aside makes the next start rebuild from the names.
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
  const recorded = await readCountFile(dataDir);
  let read = 0;
  for (const dirent of await readdir(dataDir, { withFileTypes: true })) {
    const name = dirent.name;
    if (isOwnTemp(dirent)) await removeLeftover(join(dataDir, name), log);
    const index = parseSubsetDirName(name);
    if (index === null || !dirent.isDirectory()) continue;
    if (++read % SUBSETS_PER_TURN === 0) await nextTurn();
    const subset = await scanSubset(dataDir, index, recorded, log);
    subsets.set(index, subset);
    total += subset.entries.length;
    for (const e of subset.entries) {
      if (!e.id) continue;
      // Ids stored before they were canonicalized may be upper case; index one spelling.
      const id = e.id.toLowerCase();
      if (ids.has(id)) log.warn('id stored twice', { id, subset: index });
      ids.add(id);
    }
  }
  const sizes = new Map([...subsets].map(([i, s]) => [i, s.entries.length]));
  const openIndex = await openSubsetIndex(dataDir, sizes, threshold);
  const state: DataState = { subsets, ids, total, openIndex };
  await reconcileCountFile(dataDir, state, log);
  return state;
}

/**
 * Entries rebuilt from a file name that carries an id prefix, by file name: a resent item
 * whose own file name is one of these is that sample (see `planAdoptions`).
 */
export function rebuiltEntries(state: DataState): Map<string, SubsetState> {
  const found = new Map<string, SubsetState>();
  for (const subset of state.subsets.values())
    for (const e of subset.entries)
      if (!e.id && parsePngFileName(e.filename)?.id8 && !found.has(e.filename))
        found.set(e.filename, subset);
  return found;
}

async function scanSubset(
  dataDir: string,
  index: number,
  recorded: CountFile | null,
  log: Logger,
): Promise<SubsetState> {
  const dir = join(dataDir, subsetDirName(index));
  const listed = readMetadata(join(dir, METADATA_FILE));
  const lostRecord = !listed.found && holdsAcknowledged(index, recorded);
  const dirents = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  );
  const files = new Set(dirents.filter((d) => d.isFile()).map((d) => d.name));
  // Our entries (with an id) whose PNG is gone were never acknowledged (see `writePlan`):
  // drop them so the client's resend is stored. Original entries stay, missing or not.
  const kept = listed.entries.filter((e) => !e.id || files.has(e.filename));
  const names = new Set(kept.map((e) => e.filename));
  const rebuilt: MetadataEntry[] = [];
  const strays: string[] = [];
  let moved = 0;
  for (const d of dirents) {
    if (d.name === METADATA_FILE || names.has(d.name)) continue;
    const entry = entryFromPngName(d.name);
    if (entry && d.isFile() && lostRecord) rebuilt.push(entry);
    else if (entry) {
      await quarantine(dataDir, dir, d.name, log);
      moved++;
    } else if (isOwnTemp(d)) {
      await removeLeftover(join(dir, d.name), log);
      moved++;
    } else strays.push(d.name);
  }
  const entries = [...kept, ...rebuilt];
  const changed = kept.length < listed.entries.length || rebuilt.length > 0;
  if (changed) {
    await replaceFileAtomic(join(dir, METADATA_FILE), `${JSON.stringify(entries, null, 2)}\n`);
  }
  if (moved > 0 || changed) await fsyncDir(dir);
  reportRepairs(log, index, { listed: listed.entries, kept, rebuilt, strays, files });
  return { index, entries, names: new Set(entries.map((e) => e.filename)) };
}

function reportRepairs(
  log: Logger,
  subset: number,
  r: {
    listed: MetadataEntry[];
    kept: MetadataEntry[];
    rebuilt: MetadataEntry[];
    strays: string[];
    files: Set<string>;
  },
): void {
  if (r.kept.length < r.listed.length)
    log.warn('dropped unacknowledged entries without a PNG', {
      subset,
      dropped: r.listed.length - r.kept.length,
    });
  if (r.rebuilt.length > 0)
    log.warn('rebuilt metadata entries from PNG file names', {
      subset,
      files: r.rebuilt.map((e) => e.filename),
    });
  if (r.strays.length > 0)
    log.warn('left alone files the server did not write', { subset, files: r.strays });
  const missing = r.kept.filter((e) => !r.files.has(e.filename)).map((e) => e.filename);
  if (missing.length > 0) log.warn('metadata names missing PNG files', { subset, missing });
}

/**
 * Whether subset `index` held acknowledged items by the seal record: it is sealed, or it is
 * the open one with items. A folder without metadata.json that did is outside damage (its
 * entries are rebuilt from the PNG names); one that did not is a crashed first commit into it,
 * whose PNGs were never acknowledged. Without a record, nothing is known: rebuild.
 */
function holdsAcknowledged(index: number, recorded: CountFile | null): boolean {
  if (!recorded) return true;
  return (
    index < recorded.sub_set_count ||
    (index === recorded.sub_set_count && recorded.current_count > 0)
  );
}

// The entries a subset's metadata.json lists, and whether the file exists at all.
function readMetadata(path: string): { found: boolean; entries: MetadataEntry[] } {
  let text: string;
  try {
    text = readSmall(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return { found: false, entries: [] };
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CorruptDataError(`${path} is not JSON (${(err as Error).message})${MOVE_ASIDE}`);
  }
  const parsed = metadataFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CorruptDataError(`${path}: ${issue?.path.join('.')} ${issue?.message}${MOVE_ASIDE}`);
  }
  return { found: true, entries: parsed.data };
}

// One buffer for every metadata.json a scan reads: a subset's is a few KiB.
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);

/**
 * A file's text, read into `READ_BUFFER` when it fits: open, read, close. `readFileSync` also
 * stats every file to size its buffer, and a start with a long history reads tens of thousands.
 * A file that fills the buffer is read again whole.
 */
function readSmall(path: string): string {
  const fd = openSync(path, 'r');
  let size: number;
  try {
    size = readSync(fd, READ_BUFFER, 0, READ_BUFFER.length, 0);
  } finally {
    closeSync(fd);
  }
  return size < READ_BUFFER.length
    ? READ_BUFFER.toString('utf8', 0, size)
    : readFileSync(path, 'utf8');
}

// Only regular files named as `tempPathFor` names them are the server's own leftovers.
function isOwnTemp(dirent: Dirent): boolean {
  return dirent.isFile() && isTempFileName(dirent.name);
}

// Moves `name` out of a subset folder into `<dataDir>/.quarantine/<subset>/`, never deleting.
async function quarantine(dataDir: string, dir: string, name: string, log: Logger): Promise<void> {
  const into = join(dataDir, QUARANTINE_DIR, basename(dir));
  await mkdir(into, { recursive: true });
  const to = join(into, `${name}.${Date.now()}`);
  await rename(join(dir, name), to);
  log.warn('moved aside a PNG no commit acknowledged, or a non-file with a PNG name', {
    from: join(dir, name),
    to,
  });
}

async function removeLeftover(path: string, log: Logger): Promise<void> {
  await unlink(path).catch((err: unknown) => {
    if (!isErrno(err, 'ENOENT')) throw err;
  });
  log.warn('removed a temp file an interrupted write left', { path });
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
