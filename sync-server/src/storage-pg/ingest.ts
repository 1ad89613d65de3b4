import type pg from 'pg';
import { z } from 'zod';
import type { FeedbackItem } from '../contract';
import { toEntry } from '../storage/commit';
import { emptySubset, type SubsetState } from '../storage/data-state';
import { STATE_CHANNEL } from './pool';

/** count.json and the totals, as the database holds them after a commit. */
export interface PgView {
  openIndex: number;
  openCount: number;
  total: number;
}

/** What every commit notifies on `STATE_CHANNEL` (JSON; parsed at the edge, see session.ts). */
export const stateNoticeSchema = z.strictObject({
  openIndex: z.int().min(0),
  openCount: z.int().min(0),
  total: z.int().min(0),
  sealed: z.array(z.int().min(0)),
});
export type StateNotice = z.infer<typeof stateNoticeSchema>;

export interface IngestItem {
  item: FeedbackItem;
  png: Uint8Array;
}

/**
 * Stores the items whose ids are new in one transaction and returns the ids stored. The
 * state row's lock (`FOR UPDATE`) orders commits of every replica: positions are handed out
 * under it, so each subset takes exactly `threshold` items and is sealed by one commit.
 * `ON CONFLICT DO NOTHING` on the id is the last guard; a conflict there would leave a hole,
 * so it aborts the transaction instead (it cannot happen while the lock is held).
 * The caller must have removed duplicate ids within `items`.
 */
export async function ingest(
  client: pg.ClientBase,
  items: IngestItem[],
  threshold: number,
): Promise<{ stored: Set<string>; view: PgView; sealed: number[] }> {
  await client.query('BEGIN');
  try {
    const view = await lockState(client);
    const ids = items.map((i) => i.item.id);
    const known = await client.query<{ id: string }>(
      'SELECT id FROM feedback_items WHERE id = ANY($1::uuid[])',
      [ids],
    );
    const old = new Set(known.rows.map((r) => r.id));
    const fresh = items.filter((i) => !old.has(i.item.id));
    if (fresh.length === 0) {
      await client.query('ROLLBACK');
      return { stored: new Set(), view, sealed: [] };
    }
    const open = await openSubsetNames(client, view.openIndex);
    const placed = place(fresh, view, threshold, open);
    await upsertSubsets(client, placed.subsets);
    const inserted = await client.query<{ id: string }>(
      `INSERT INTO feedback_items (subset_index, position, id, filename, entry, png)
       SELECT s, p, i, f, e::json, b
       FROM unnest($1::int[], $2::int[], $3::uuid[], $4::text[], $5::text[], $6::bytea[])
         AS t(s, p, i, f, e, b)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      columnsOf(placed.rows),
    );
    if (inserted.rowCount !== placed.rows.length)
      throw new Error('an id was stored concurrently despite the state lock');
    await client.query('UPDATE feedback_state SET open_index = $1, open_count = $2, total = $3', [
      placed.view.openIndex,
      placed.view.openCount,
      placed.view.total,
    ]);
    const notice: StateNotice = { ...placed.view, sealed: placed.sealed };
    // Delivered to every listener at commit, never for a rolled-back transaction.
    await client.query('SELECT pg_notify($1, $2)', [STATE_CHANNEL, JSON.stringify(notice)]);
    await client.query('COMMIT');
    return {
      stored: new Set(fresh.map((i) => i.item.id)),
      view: placed.view,
      sealed: placed.sealed,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

/** The state row, locked until the transaction ends. */
export async function lockState(client: pg.ClientBase): Promise<PgView> {
  const r = await client.query<{ open_index: number; open_count: number; total: string }>(
    'SELECT open_index, open_count, total FROM feedback_state FOR UPDATE',
  );
  return viewOf(r.rows[0]!);
}

export function viewOf(row: { open_index: number; open_count: number; total: string }): PgView {
  return { openIndex: row.open_index, openCount: row.open_count, total: Number(row.total) };
}

// The open subset's file names, for the collision rule of `toEntry`.
async function openSubsetNames(client: pg.ClientBase, index: number): Promise<SubsetState> {
  const r = await client.query<{ filename: string }>(
    'SELECT filename FROM feedback_items WHERE subset_index = $1',
    [index],
  );
  const subset = emptySubset(index);
  for (const { filename } of r.rows) subset.names.add(filename);
  return subset;
}

interface Row {
  subset: number;
  position: number;
  id: string;
  filename: string;
  entry: string;
  png: Uint8Array;
}

// Hands out (subset, position) in order, sealing a subset when it reaches the threshold.
function place(items: IngestItem[], start: PgView, threshold: number, open: SubsetState) {
  const view = { ...start };
  const rows: Row[] = [];
  const sealed: number[] = [];
  const subsets = new Map<number, { count: number; sealed: boolean }>();
  let names = open;
  // A threshold lowered since the last commit: the open subset is full already, and sealed
  // first (as the file store's scan seals it at start).
  if (view.openCount >= threshold) {
    subsets.set(view.openIndex, { count: view.openCount, sealed: true });
    sealed.push(view.openIndex);
    view.openIndex++;
    view.openCount = 0;
  }
  for (const { item, png } of items) {
    if (names.index !== view.openIndex) names = emptySubset(view.openIndex);
    const entry = toEntry(item, names);
    names.names.add(entry.filename);
    rows.push({
      subset: view.openIndex,
      position: view.openCount,
      id: item.id,
      filename: entry.filename,
      entry: JSON.stringify(entry),
      png,
    });
    view.openCount++;
    view.total++;
    const full = view.openCount >= threshold;
    subsets.set(view.openIndex, { count: view.openCount, sealed: full });
    if (full) {
      sealed.push(view.openIndex);
      view.openIndex++;
      view.openCount = 0;
    }
  }
  return { rows, sealed, subsets, view };
}

async function upsertSubsets(
  client: pg.ClientBase,
  subsets: Map<number, { count: number; sealed: boolean }>,
): Promise<void> {
  const list = [...subsets];
  await client.query(
    `INSERT INTO feedback_subsets (subset_index, item_count, sealed_at)
     SELECT s, c, CASE WHEN sealed THEN now() END
     FROM unnest($1::int[], $2::int[], $3::boolean[]) AS t(s, c, sealed)
     ON CONFLICT (subset_index) DO UPDATE SET item_count = EXCLUDED.item_count,
       sealed_at = COALESCE(feedback_subsets.sealed_at, EXCLUDED.sealed_at)`,
    [list.map(([s]) => s), list.map(([, v]) => v.count), list.map(([, v]) => v.sealed)],
  );
}

function columnsOf(rows: Row[]): unknown[] {
  return [
    rows.map((r) => r.subset),
    rows.map((r) => r.position),
    rows.map((r) => r.id),
    rows.map((r) => r.filename),
    rows.map((r) => r.entry),
    rows.map((r) => Buffer.from(r.png)),
  ];
}
