import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import {
  COUNT_FILE,
  heldBackEntrySchema,
  METADATA_FILE,
  REVIEW_FILE,
  reviewDecisionSchema,
  subsetDirName,
  type CountFile,
  type ReviewDecision,
} from '../contract';
import { appendHeldBack, replaceFileAtomic, writeFileSynced } from '../registry';

/** What an export wrote. */
export interface ExportResult {
  written: number[];
  /** Sealed subsets already on disk whole (a seal is permanent, so they are never rewritten). */
  kept: number[];
  count: CountFile;
  /** Review decisions written to review.jsonl. */
  decisions: number;
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
  const result: ExportResult = { written: [], kept: [], count, decisions: 0 };
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
  result.decisions = await exportReviewDecisions(db, dataDir);
  await exportHeldBack(db, dataDir);
  await replaceFileAtomic(join(dataDir, COUNT_FILE), `${JSON.stringify(count)}\n`);
  return result;
}

/**
 * Writes review.jsonl as the file store appends it (oldest first, one decision a line), so
 * the trainer and the github driver find the decisions where they look. Written whole: the
 * database holds them all. Untouched while no decision was made. Returns how many.
 */
export async function exportReviewDecisions(
  db: pg.ClientBase | pg.Pool,
  dataDir: string,
): Promise<number> {
  const r = await db.query<ReviewDecision>(
    'SELECT id, decision, at, by FROM review_decisions ORDER BY seq',
  );
  if (r.rows.length === 0) return 0;
  const lines = r.rows.map((d) => `${JSON.stringify(reviewDecisionSchema.parse(d))}\n`);
  await replaceFileAtomic(join(dataDir, REVIEW_FILE), lines.join(''));
  return r.rows.length;
}

/**
 * Appends to disputed.jsonl what the database knows was held back and the file lacks: the
 * next retrain may run on another replica, whose folder never saw the trainer's lines.
 * Appended, not rewritten, as the trainer appends to the same file.
 */
export async function exportHeldBack(db: pg.ClientBase | pg.Pool, dataDir: string): Promise<void> {
  const r = await db.query<{ line: string }>('SELECT line FROM held_back ORDER BY seq');
  const entries = r.rows.map((row) => heldBackEntrySchema.parse(JSON.parse(row.line)));
  await appendHeldBack(dataDir, entries);
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
