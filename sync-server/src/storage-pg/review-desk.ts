import { join } from 'node:path';
import type pg from 'pg';
import {
  DISPUTED_FILE,
  heldBackEntrySchema,
  type HeldBackEntry,
  REVIEW_PAGE_SIZE,
  type MetadataEntry,
  type ReviewItem,
  type ReviewState,
  type ReviewVerdict,
} from '../contract';
import type { Logger } from '../log';
import { readJsonLinesFrom } from '../registry';
import type { ReviewDesk } from '../storage/review-desk';
import { lockState, notifyState, type PgView } from './ingest';
import { withClient } from './pool';

export interface PgReviewDeskOptions {
  pool: pg.Pool;
  /** Where exports go and the trainer appends `disputed.jsonl`. */
  dataDir: string;
  log: Logger;
  /** The pending count of the newest state this replica knows. */
  pending: () => number;
  /** A decision's commit changed the state. */
  onState: (view: PgView) => void;
}

interface Row {
  seq: string;
  id: string;
  entry: string;
  decision: string | null;
  held: string[] | null;
}

/** An answer of `feedback_items i` waits for review: flagged at ingest, or held back. */
const WAITS_SQL = '(i.flagged OR EXISTS (SELECT 1 FROM held_back h WHERE h.id = i.id))';
/** The flags the trainer added to answer `i`, as column `held`. */
const HELD_FLAGS_SQL =
  '(SELECT array_agg(h.flag ORDER BY h.seq) FROM held_back h WHERE h.id = i.id) AS held';
/** How many answers wait for review with no decision yet. */
export const PENDING_COUNT_SQL = `SELECT count(*) FROM feedback_items i WHERE ${WAITS_SQL}
  AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.id = i.id)`;

/**
 * Review on PostgreSQL: decisions in `review_decisions` (append-only, the last per id in
 * force), written in a transaction under the state lock that also recounts the pending
 * answers, so every replica's status agrees once the notice arrives. The export writes the
 * decisions to `new_data/review.jsonl`, which the trainer reads.
 */
export class PgReviewDesk implements ReviewDesk {
  private heldBackOffset = 0;
  private refreshing: Promise<void> | null = null;

  constructor(private readonly options: PgReviewDeskOptions) {}

  /**
   * Flags in the database what the trainer appended to `disputed.jsonl` in this replica's
   * data folder (the replica that ran the retrain): every replica then lists them, and the
   * next export writes the flags into metadata.json. Re-reading the file after a restart
   * changes nothing, as an answer already carrying the flag is left alone. An unfinished
   * last line waits for the next call; a failure is logged and retried then.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.readHeldBack()
      .catch((err: unknown) =>
        this.options.log.warn('could not take in disputed.jsonl', { error: String(err) }),
      )
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async readHeldBack(): Promise<void> {
    const path = join(this.options.dataDir, DISPUTED_FILE);
    const tail = await readJsonLinesFrom(path, heldBackEntrySchema, this.heldBackOffset);
    if (tail.bad.length > 0)
      this.options.log.warn('skipped bad lines of disputed.jsonl', { path, reasons: tail.bad });
    if (tail.values.length > 0) await this.flag(tail.values);
    this.heldBackOffset = tail.offset;
  }

  private flag(held: readonly HeldBackEntry[]): Promise<void> {
    return withClient(this.options.pool, async (client) => {
      await client.query('BEGIN');
      try {
        const view = await lockState(client);
        // Ids this database never stored (another store's answers) are skipped.
        const added = await client.query(
          `INSERT INTO held_back (id, flag, line)
           SELECT t.id, t.flag, t.line FROM unnest($1::uuid[], $2::text[], $3::text[]) AS t(id, flag, line)
           WHERE EXISTS (SELECT 1 FROM feedback_items i WHERE i.id = t.id)
           ON CONFLICT DO NOTHING`,
          [
            held.map((h) => h.id.toLowerCase()),
            held.map((h) => h.flag),
            held.map((h) => JSON.stringify(h)),
          ],
        );
        if (!added.rowCount) {
          await client.query('ROLLBACK');
          return;
        }
        const next = await this.recountPending(client, view);
        await client.query('COMMIT');
        this.options.onState(next);
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  // Recounts the pending answers and tells every replica; inside the caller's transaction.
  private async recountPending(client: pg.ClientBase, view: PgView): Promise<PgView> {
    const r = await client.query<{ pending: number }>(
      `UPDATE feedback_state SET changes = changes + 1, pending = (${PENDING_COUNT_SQL})
       RETURNING pending`,
    );
    const next = { ...view, pending: r.rows[0]!.pending, changes: view.changes + 1 };
    await notifyState(client, { ...next, sealed: [] });
    return next;
  }

  pending(): number {
    return this.options.pending();
  }

  async page(
    state: ReviewState,
    cursor = 0,
  ): Promise<{ items: ReviewItem[]; next: string | null }> {
    const sql =
      state === 'pending'
        ? `SELECT i.seq, i.id, i.entry::text AS entry, NULL AS decision, ${HELD_FLAGS_SQL}
           FROM feedback_items i
           WHERE ${WAITS_SQL} AND i.seq > $1
             AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.id = i.id)
           ORDER BY i.seq LIMIT $2`
        : `SELECT i.seq, i.id, i.entry::text AS entry, d.decision, ${HELD_FLAGS_SQL}
           FROM (SELECT DISTINCT ON (id) id, decision FROM review_decisions ORDER BY id, seq DESC) d
           JOIN feedback_items i USING (id)
           WHERE d.decision = $3 AND i.seq > $1 ORDER BY i.seq LIMIT $2`;
    const params: unknown[] = [cursor, REVIEW_PAGE_SIZE + 1];
    if (state !== 'pending') params.push(state === 'accepted' ? 'accept' : 'reject');
    const rows = (await this.options.pool.query<Row>(sql, params)).rows;
    const page = rows.slice(0, REVIEW_PAGE_SIZE);
    return {
      items: page.map((r) => itemOf(r, state)),
      next: rows.length > REVIEW_PAGE_SIZE ? page.at(-1)!.seq : null,
    };
  }

  async decide(
    ids: readonly string[],
    decision: ReviewVerdict,
    by: string,
  ): Promise<{ decided: number; unknown: string[] }> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
    // A decision on an answer held back a moment ago must count it as pending first.
    await this.refresh();
    return withClient(this.options.pool, async (client) => {
      await client.query('BEGIN');
      try {
        const view = await lockState(client);
        const known = await client.query<{ id: string }>(
          'SELECT id FROM feedback_items WHERE id = ANY($1::uuid[])',
          [wanted],
        );
        const stored = new Set(known.rows.map((r) => r.id));
        const decided = wanted.filter((id) => stored.has(id));
        if (decided.length === 0) {
          await client.query('ROLLBACK');
          return { decided: 0, unknown: wanted };
        }
        await client.query(
          `INSERT INTO review_decisions (id, decision, at, by)
           SELECT i, $2, $3, $4 FROM unnest($1::uuid[]) WITH ORDINALITY AS t(i, n) ORDER BY n`,
          [decided, decision, new Date().toISOString(), by],
        );
        const next = await this.recountPending(client, view);
        await client.query('COMMIT');
        this.options.onState(next);
        return { decided: decided.length, unknown: wanted.filter((id) => !stored.has(id)) };
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  async idsOfClient(clientId: string): Promise<string[]> {
    const r = await this.options.pool.query<{ id: string }>(
      'SELECT id FROM feedback_items WHERE client_id = lower($1) ORDER BY seq',
      [clientId],
    );
    return r.rows.map((row) => row.id);
  }

  async image(id: string): Promise<Uint8Array | null> {
    const r = await this.options.pool.query<{ png: Buffer | null }>(
      'SELECT png FROM feedback_items WHERE id = $1::uuid',
      [id],
    );
    return r.rows[0]?.png ?? null;
  }
}

function itemOf(row: Row, state: ReviewState): ReviewItem {
  const entry = JSON.parse(row.entry) as MetadataEntry;
  return {
    id: row.id,
    label: entry.true_label,
    predicted: entry.predicted_label ?? null,
    confidence: entry.confidence ?? null,
    clientId: entry.client_id ?? null,
    flags: [...(entry.flags ?? []), ...(row.held ?? [])],
    createdAt: new Date(entry.created_at).toISOString(),
    state,
    imageUrl: `/api/admin/review/${row.id}/image`,
  };
}
