import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import { COUNT_FILE, METADATA_FILE, subsetDirName, type CountFile } from '../contract';
import { replaceFileAtomic, writeFileSynced } from '../registry';

/** What an export wrote. */
export interface ExportResult {
  written: number[];
  /** Sealed subsets already on disk whole (a seal is permanent, so they are never rewritten). */
  kept: number[];
  count: CountFile;
}

/**
 * Materializes the database into `dataDir` in the seed-compatible layout the file store
 * writes, byte for byte: `sub_set_N/<png>`, `sub_set_N/metadata.json` (entries in position
 * order, two-space JSON and a newline) and `count.json`. The trainer, the local and the
 * github drivers read it unchanged. PNGs are flushed before the metadata that names them is
 * renamed in, and count.json comes last, so a reader never sees an entry without its file.
 */
export async function exportNewData(
  db: pg.ClientBase | pg.Pool,
  dataDir: string,
): Promise<ExportResult> {
  const state = await db.query<{ open_index: number; open_count: number }>(
    'SELECT open_index, open_count FROM feedback_state',
  );
  const count: CountFile = {
    current_count: state.rows[0]!.open_count,
    sub_set_count: state.rows[0]!.open_index,
  };
  const subsets = await db.query<{ subset_index: number; item_count: number; sealed: boolean }>(
    `SELECT subset_index, item_count, sealed_at IS NOT NULL AS sealed
     FROM feedback_subsets WHERE item_count > 0 ORDER BY subset_index`,
  );
  const result: ExportResult = { written: [], kept: [], count };
  await mkdir(dataDir, { recursive: true });
  for (const s of subsets.rows) {
    const dir = join(dataDir, subsetDirName(s.subset_index));
    if (s.sealed && (await entriesOnDisk(dir)) === s.item_count) {
      result.kept.push(s.subset_index);
      continue;
    }
    await writeSubset(db, s.subset_index, dir);
    result.written.push(s.subset_index);
  }
  await replaceFileAtomic(join(dataDir, COUNT_FILE), `${JSON.stringify(count)}\n`);
  return result;
}

async function writeSubset(db: pg.ClientBase | pg.Pool, index: number, dir: string): Promise<void> {
  const rows = await db.query<{ filename: string; entry: string; png: Buffer | null }>(
    `SELECT filename, entry::text AS entry, png FROM feedback_items
     WHERE subset_index = $1 ORDER BY position`,
    [index],
  );
  await mkdir(dir, { recursive: true });
  for (const r of rows.rows) if (r.png) await writeFileSynced(join(dir, r.filename), r.png);
  const entries: unknown[] = rows.rows.map((r) => JSON.parse(r.entry));
  // Its folder flush after the rename also makes the PNG names durable.
  await replaceFileAtomic(join(dir, METADATA_FILE), `${JSON.stringify(entries, null, 2)}\n`);
}

async function entriesOnDisk(dir: string): Promise<number | null> {
  try {
    const parsed: unknown = JSON.parse(await readFile(join(dir, METADATA_FILE), 'utf8'));
    return Array.isArray(parsed) ? parsed.length : null;
  } catch {
    return null;
  }
}
