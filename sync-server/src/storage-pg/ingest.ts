import type pg from 'pg';
import { z } from 'zod';
import type { FeedbackFlag, FeedbackItem, MetadataEntry } from '../contract';
import type { ScreenOptions } from '../storage/screen';
import { toEntry } from '../storage/commit';
import { emptySubset, type SubsetState } from '../storage/data-state';
import { STATE_CHANNEL } from './pool';
import { screenInTransaction } from './screen-sql';

/**
 * count.json, the totals and the answers waiting for review, as the database holds them
 * after a commit; `changes` counts commits, so the newest of two notices is known.
 */
export interface PgView {
  openIndex: number;
  openCount: number;
  total: number;
  pending: number;
  changes: number;
}

/** What every commit notifies on `STATE_CHANNEL` (JSON; parsed at the edge, see session.ts). */
export const stateNoticeSchema = z.strictObject({
  openIndex: z.int().min(0),
  openCount: z.int().min(0),
  total: z.int().min(0),
  pending: z.int().min(0),
  changes: z.int().min(0),
  sealed: z.array(z.int().min(0)),
});
export type StateNotice = z.infer<typeof stateNoticeSchema>;

/** The state row's columns, for `viewOf`. */
export const STATE_COLUMNS = 'open_index, open_count, total, pending, changes';
export interface StateRow {
  open_index: number;
  open_count: number;
  total: string;
  pending: number;
  changes: string;
}

export interface IngestItem {
  item: FeedbackItem;
  png: Uint8Array;
  /** The flags the item earns by itself (`contentFlags`), worked out before the transaction. */
  flags?: FeedbackFlag[];
  /** Whose quota it uses (see `screenKey`); unscreened without one. */
  key?: string;
}

/** What one ingest transaction did. */
export interface IngestResult {
  stored: Set<string>;
  /** Ids refused over their quota (never stored). */
  overQuota: Set<string>;
  view: PgView;
  sealed: number[];
}

/**
 * Stores the items whose ids are new in one transaction and returns the ids stored. With
 * `screen`, quotas and the burst flag are counted in the same transaction (the state lock
 * orders every replica's), so two replicas never admit past a quota between them. The
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
  screen?: ScreenOptions,
): Promise<IngestResult> {
  await client.query('BEGIN');
  try {
    const view = await lockState(client);
    const ids = items.map((i) => i.item.id);
    const known = await client.query<{ id: string }>(
      'SELECT id FROM feedback_items WHERE id = ANY($1::uuid[])',
      [ids],
    );
    const old = new Set(known.rows.map((r) => r.id));
    const unseen = items.filter((i) => !old.has(i.item.id));
    const { admitted: fresh, overQuota } = screen
      ? await screenInTransaction(client, unseen, screen)
      : { admitted: unseen.map((it) => ({ it, extra: unscreened })), overQuota: new Set<string>() };
    if (fresh.length === 0) {
      await client.query('ROLLBACK');
      return { stored: new Set(), overQuota, view, sealed: [] };
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
    placed.view.pending += fresh.filter((f) => (f.extra.flags?.length ?? 0) > 0).length;
    placed.view.changes++;
    await client.query(
      `UPDATE feedback_state SET open_index = $1, open_count = $2, total = $3, pending = $4,
       changes = $5`,
      [
        placed.view.openIndex,
        placed.view.openCount,
        placed.view.total,
        placed.view.pending,
        placed.view.changes,
      ],
    );
    await notifyState(client, { ...placed.view, sealed: placed.sealed });
    await client.query('COMMIT');
    return {
      stored: new Set(fresh.map((f) => f.it.item.id)),
      overQuota,
      view: placed.view,
      sealed: placed.sealed,
    };
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}

// What an item stores besides its entry when no screen runs: nothing.
const unscreened: Partial<MetadataEntry> = {};

/** The state row, locked until the transaction ends. */
export async function lockState(client: pg.ClientBase): Promise<PgView> {
  const r = await client.query<StateRow>(`SELECT ${STATE_COLUMNS} FROM feedback_state FOR UPDATE`);
  return viewOf(r.rows[0]!);
}

/** The state row as a view. */
export async function readState(db: pg.ClientBase | pg.Pool): Promise<PgView> {
  const r = await db.query<StateRow>(`SELECT ${STATE_COLUMNS} FROM feedback_state`);
  return viewOf(r.rows[0]!);
}

export function viewOf(row: StateRow): PgView {
  return {
    openIndex: row.open_index,
    openCount: row.open_count,
    total: Number(row.total),
    pending: row.pending,
    changes: Number(row.changes),
  };
}

/** Notifies every replica (at commit, never for a rolled-back transaction) of the new state. */
export async function notifyState(client: pg.ClientBase, notice: StateNotice): Promise<void> {
  await client.query('SELECT pg_notify($1, $2)', [STATE_CHANNEL, JSON.stringify(notice)]);
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
function place(
  items: { it: IngestItem; extra: Partial<MetadataEntry> }[],
  start: PgView,
  threshold: number,
  open: SubsetState,
) {
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
  for (const {
    it: { item, png },
    extra,
  } of items) {
    if (names.index !== view.openIndex) names = emptySubset(view.openIndex);
    // Key order as the file store writes it (commit.ts), so exports match byte for byte.
    const entry = { ...toEntry(item, names), ...extra };
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
