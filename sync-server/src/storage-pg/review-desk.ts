import type pg from 'pg';
import {
  REVIEW_PAGE_SIZE,
  type MetadataEntry,
  type ReviewItem,
  type ReviewState,
  type ReviewVerdict,
} from '../contract';
import type { ReviewDesk } from '../storage/review-desk';
import { lockState, notifyState, type PgView } from './ingest';
import { withClient } from './pool';

export interface PgReviewDeskOptions {
  pool: pg.Pool;
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
}

/**
 * Review on PostgreSQL: decisions in `review_decisions` (append-only, the last per id in
 * force), written in a transaction under the state lock that also recounts the pending
 * answers, so every replica's status agrees once the notice arrives. The export writes the
 * decisions to `new_data/review.jsonl`, which the trainer reads.
 */
export class PgReviewDesk implements ReviewDesk {
  constructor(private readonly options: PgReviewDeskOptions) {}

  pending(): number {
    return this.options.pending();
  }

  async page(
    state: ReviewState,
    cursor = 0,
  ): Promise<{ items: ReviewItem[]; next: string | null }> {
    const sql =
      state === 'pending'
        ? `SELECT i.seq, i.id, i.entry::text AS entry, NULL AS decision FROM feedback_items i
           WHERE i.flagged AND i.seq > $1
             AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.id = i.id)
           ORDER BY i.seq LIMIT $2`
        : `SELECT i.seq, i.id, i.entry::text AS entry, d.decision
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

  decide(
    ids: readonly string[],
    decision: ReviewVerdict,
    by: string,
  ): Promise<{ decided: number; unknown: string[] }> {
    const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
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
        const r = await client.query<{ pending: number }>(
          `UPDATE feedback_state SET changes = changes + 1, pending =
             (SELECT count(*) FROM feedback_items i WHERE flagged
              AND NOT EXISTS (SELECT 1 FROM review_decisions d WHERE d.id = i.id))
           RETURNING pending`,
        );
        const next = { ...view, pending: r.rows[0]!.pending, changes: view.changes + 1 };
        await notifyState(client, { ...next, sealed: [] });
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
    flags: entry.flags ?? [],
    createdAt: new Date(entry.created_at).toISOString(),
    state,
    imageUrl: `/api/admin/review/${row.id}/image`,
  };
}
