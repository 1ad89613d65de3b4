import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import {
  entryFromPngName,
  METADATA_FILE,
  metadataFileSchema,
  parsePngFileName,
  parseSubsetDirName,
  type ReviewDecision,
} from '../contract';
import { isErrno, openIndexFor, readCountFile, readReviewDecisions } from '../registry';
import { lockState, notifyState, STATE_COLUMNS, viewOf, type StateRow } from './ingest';
import { withClient } from './pool';
import { PENDING_COUNT_SQL } from './review-desk';

export interface ImportResult {
  subsets: number;
  inserted: number;
  /** Entries the database held already (an import run again). */
  present: number;
  /** Review decisions of `review.jsonl` newly recorded (those on stored ids, each once). */
  decisions: number;
}

/** The folder holds a subset the database holds differently; nothing was imported. */
export class ImportConflictError extends Error {
  override name = 'ImportConflictError';
}

interface ReadSubset {
  index: number;
  /** Entries as written in metadata.json (key order kept), then PNGs no entry names. */
  entries: { filename: string; id?: string; raw: unknown; png: Buffer | null }[];
}

/**
 * Loads a `new_data/` folder (ours or the original system's) into the database, in one
 * transaction, idempotently: every entry keeps its subset and position, and a second run
 * finds them all present. Subsets below the folder's open subset (the registry's seal rule)
 * are imported sealed and already reported, so an import starts no retrain of old data.
 * The folder is only read, never repaired.
 */
export async function importNewData(
  pool: pg.Pool,
  dataDir: string,
  threshold: number,
): Promise<ImportResult> {
  const subsets = await readFolder(dataDir);
  const sizes = new Map(subsets.map((s) => [s.index, s.entries.length]));
  const recorded = await readCountFile(dataDir);
  const folderOpen = openIndexFor(sizes, threshold, recorded?.sub_set_count ?? 0);
  const decisions = await readReviewDecisions(dataDir);
  return withClient(pool, async (client) => {
    try {
      await client.query('BEGIN');
      const before = await lockState(client);
      let inserted = 0;
      for (const s of subsets) inserted += await importSubset(client, s, s.index < folderOpen);
      const decided = await importDecisions(client, decisions);
      const open = Math.max(before.openIndex, folderOpen);
      await client.query(
        `UPDATE feedback_subsets s SET item_count =
         (SELECT count(*) FROM feedback_items i WHERE i.subset_index = s.subset_index)`,
      );
      await client.query(
        'UPDATE feedback_subsets SET sealed_at = now() WHERE subset_index < $1 AND sealed_at IS NULL',
        [open],
      );
      // Imported entries may carry flags: they wait for review like new ones.
      const state = await client.query<StateRow>(
        `UPDATE feedback_state SET open_index = $1,
         open_count = (SELECT count(*) FROM feedback_items WHERE subset_index = $1),
         total = (SELECT count(*) FROM feedback_items),
         pending = (${PENDING_COUNT_SQL}),
         changes = changes + 1
       RETURNING ${STATE_COLUMNS}`,
        [open],
      );
      await notifyState(client, { ...viewOf(state.rows[0]!), sealed: [] });
      await client.query('COMMIT');
      const all = subsets.reduce((n, s) => n + s.entries.length, 0);
      return { subsets: subsets.length, inserted, present: all - inserted, decisions: decided };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  });
}

// In file order; a decision already recorded (an import run again) or on an id no subset holds
// is left out. The pending count is recounted after.
async function importDecisions(
  client: pg.ClientBase,
  decisions: ReviewDecision[],
): Promise<number> {
  if (decisions.length === 0) return 0;
  const r = await client.query(
    `INSERT INTO review_decisions (id, decision, at, by)
     SELECT t.i, t.d, t.a, t.b
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS t(i, d, a, b, n)
     WHERE EXISTS (SELECT 1 FROM feedback_items f WHERE f.id = t.i)
       AND NOT EXISTS (SELECT 1 FROM review_decisions r
         WHERE r.id = t.i AND r.decision = t.d AND r.at = t.a AND r.by = t.b)
     ORDER BY t.n`,
    [
      decisions.map((d) => d.id),
      decisions.map((d) => d.decision),
      decisions.map((d) => d.at),
      decisions.map((d) => d.by),
    ],
  );
  return r.rowCount ?? 0;
}

async function importSubset(
  client: pg.ClientBase,
  s: ReadSubset,
  sealed: boolean,
): Promise<number> {
  await client.query(
    `INSERT INTO feedback_subsets (subset_index, item_count, sealed_at, triggered_at)
     VALUES ($1, 0, CASE WHEN $2 THEN now() END, CASE WHEN $2 THEN now() END)
     ON CONFLICT (subset_index) DO NOTHING`,
    [s.index, sealed],
  );
  const r = await client.query(
    `INSERT INTO feedback_items (subset_index, position, id, filename, entry, png)
     SELECT $1, p - 1, i, f, e::json, b
     FROM unnest($2::uuid[], $3::text[], $4::text[], $5::bytea[]) WITH ORDINALITY AS t(i, f, e, b, p)
     ON CONFLICT DO NOTHING`,
    [
      s.index,
      s.entries.map((e) => e.id ?? null),
      s.entries.map((e) => e.filename),
      s.entries.map((e) => JSON.stringify(e.raw)),
      s.entries.map((e) => e.png),
    ],
  );
  // Every entry must now be in its place: either just inserted or there from an earlier run.
  const placed = await client.query<{ n: string }>(
    `SELECT count(*) AS n FROM feedback_items i
     JOIN unnest($2::text[]) WITH ORDINALITY AS t(f, p) ON i.filename = t.f AND i.position = t.p - 1
     WHERE i.subset_index = $1`,
    [s.index, s.entries.map((e) => e.filename)],
  );
  if (Number(placed.rows[0]!.n) !== s.entries.length)
    throw new ImportConflictError(
      `sub_set_${s.index}: the database holds other entries (or ids) at its places; nothing imported`,
    );
  return r.rowCount ?? 0;
}

async function readFolder(dataDir: string): Promise<ReadSubset[]> {
  const out: ReadSubset[] = [];
  for (const dirent of await readdir(dataDir, { withFileTypes: true })) {
    const index = dirent.isDirectory() ? parseSubsetDirName(dirent.name) : null;
    if (index === null) continue;
    out.push({ index, entries: await readSubsetDir(join(dataDir, dirent.name)) });
  }
  return out.sort((a, b) => a.index - b.index);
}

async function readSubsetDir(dir: string): Promise<ReadSubset['entries']> {
  let raw: unknown[] = [];
  try {
    raw = JSON.parse(await readFile(join(dir, METADATA_FILE), 'utf8')) as unknown[];
  } catch (err) {
    if (!isErrno(err, 'ENOENT'))
      throw new Error(`${dir}/${METADATA_FILE}: ${String(err)}`, { cause: err });
  }
  // Validated whole, but stored as written, so an export gives back the same file.
  const parsed = metadataFileSchema.parse(raw);
  const listed = new Set(parsed.map((e) => e.filename));
  // PNGs no entry names (a crash between PNG and metadata): their entries come from the name.
  const unlisted = (await readdir(dir))
    .filter((f) => parsePngFileName(f) && !listed.has(f))
    .sort()
    .map((f) => entryFromPngName(f)!);
  return Promise.all(
    [...parsed.map((e, i) => ({ e, raw: raw[i] })), ...unlisted.map((e) => ({ e, raw: e }))].map(
      async ({ e, raw: r }) => ({
        filename: e.filename,
        ...(e.id ? { id: e.id } : {}),
        raw: r,
        png: await readFile(join(dir, e.filename)).catch(() => null),
      }),
    ),
  );
}
