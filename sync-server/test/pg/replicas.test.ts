import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import pg from 'pg';
import { readReviewDecisions } from '../../src/registry';
import { MIGRATIONS_DIR } from '../../src/storage-pg/migrate';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it, vi } from 'vitest';
import { makeItem, postFeedback, tempDirs, jsonOf } from '../helpers';
import { pgSuite, pgUnavailable, startCluster, type PgCluster } from './cluster';
import { startReplica, type PgReplica } from './replica';

const skip = pgUnavailable();

let cluster: PgCluster;
let db = 0;
let url: string;
let dirs: ReturnType<typeof tempDirs>;
const open: PgReplica[] = [];

beforeAll(() => {
  if (!skip) cluster = startCluster();
});
afterAll(() => cluster?.destroy());
beforeEach(() => {
  if (skip) return;
  url = cluster.createDatabase(`replicas_${++db}`);
  dirs = tempDirs();
});
afterEach(async () => {
  for (const r of open.splice(0)) await r.close();
  dirs?.cleanup();
});

async function replica(options: Parameters<typeof startReplica>[2] = {}): Promise<PgReplica> {
  const r = await startReplica(url, dirs, options);
  open.push(r);
  return r;
}

async function query<T extends pg.QueryResultRow>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe.skipIf(skip)(pgSuite('two replicas on one PostgreSQL'), () => {
  it('migrates once when both start together', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    expect(a.store.totals()).toEqual({ total: 0, sealedSubsets: 0 });
    expect(b.store.totals()).toEqual({ total: 0, sealedSubsets: 0 });
    const versions = await query<{ version: number }>('SELECT version FROM schema_migrations');
    // Each migration once, in order: one row per file of migrations/.
    const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql'));
    expect(versions.map((v) => v.version)).toEqual(files.map((_, i) => i + 1));
  });

  it('stores an id sent to both at once once, and counts the other as a duplicate', async () => {
    const [a, b] = await Promise.all([replica(), replica()]);
    const item = makeItem();
    const [ra, rb] = await Promise.all([
      postFeedback(a.app, { items: [item] }),
      postFeedback(b.app, { items: [item] }),
    ]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    expect([ra.json.accepted + rb.json.accepted, ra.json.duplicates + rb.json.duplicates]).toEqual([
      1, 1,
    ]);
    expect(await query('SELECT id FROM feedback_items WHERE id = $1', [item.id])).toHaveLength(1);
  });

  it('fills every subset to exactly the threshold and reports each seal once', async () => {
    // Driver reports can land on either replica (whichever holds the lock).
    const [a, b] = await Promise.all([replica(), replica()]);
    const items = Array.from({ length: 600 }, (_, i) => makeItem({ label: i % 10 }));
    // A sends items 0-499, B items 100-599: 400 ids reach both, in 50 batches of 10 each.
    const batches = (from: number) =>
      Array.from({ length: 50 }, (_, i) => items.slice(from + i * 10, from + i * 10 + 10));
    const answers = await Promise.all([
      ...batches(0).map((batch) => postFeedback(a.app, { items: batch })),
      ...batches(100).map((batch) => postFeedback(b.app, { items: batch })),
    ]);
    expect(answers.every((r) => r.status === 200)).toBe(true);
    const sum = (k: 'accepted' | 'duplicates') =>
      answers.reduce((n, r) => n + (r.json[k] as number), 0);
    expect([sum('accepted'), sum('duplicates')]).toEqual([600, 400]);

    const rows = await query<{ subset_index: number; n: string; positions: number[] }>(
      `SELECT subset_index, count(*) AS n, array_agg(position ORDER BY position) AS positions
       FROM feedback_items GROUP BY subset_index ORDER BY subset_index`,
    );
    expect(rows).toHaveLength(60);
    for (const r of rows) {
      expect(Number(r.n)).toBe(10);
      expect(r.positions).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    }
    const ids = await query<{ n: string }>('SELECT count(DISTINCT id) AS n FROM feedback_items');
    expect(Number(ids[0]!.n)).toBe(600);

    // Every seal is reported exactly once, over both replicas together.
    const reported = () => [...a.seals, ...b.seals].flat().sort((x, y) => x - y);
    await vi.waitFor(() => expect(reported()).toHaveLength(60), { timeout: 20_000 });
    expect(reported()).toEqual(Array.from({ length: 60 }, (_, i) => i));

    // Both replicas serve the same status once the notices arrived.
    const status = async (r: PgReplica) => (await jsonOf(r.app.request('/api/status'))) as object;
    await vi.waitFor(async () => expect(await status(a)).toEqual(await status(b)), {
      timeout: 20_000,
    });
    expect(await status(a)).toMatchObject({
      subset: { index: 60, count: 0, threshold: 10 },
      feedback: { total: 600, sealedSubsets: 60 },
    });
  });

  it('seals a subset already past a lowered threshold before it takes more', async () => {
    const before = await replica({ threshold: 10 });
    await postFeedback(before.app, { items: Array.from({ length: 5 }, () => makeItem()) });
    const after = await replica({ threshold: 3 });
    const r = await postFeedback(after.app, { items: [makeItem()] });
    expect(r.json.subset).toEqual({ index: 1, count: 1, threshold: 3 });
    const sizes = await query<{ item_count: number; sealed: boolean }>(
      'SELECT item_count, sealed_at IS NOT NULL AS sealed FROM feedback_subsets ORDER BY subset_index',
    );
    expect(sizes).toEqual([
      { item_count: 5, sealed: true },
      { item_count: 1, sealed: false },
    ]);
  });

  it('hands the retrain driver to the other replica when its holder stops', async () => {
    const a = await replica();
    await vi.waitFor(() => expect(a.store.leads()).toBe(true));
    const b = await replica();
    expect(b.store.leads()).toBe(false);
    await a.close();
    open.splice(open.indexOf(a), 1);
    await vi.waitFor(() => expect(b.store.leads()).toBe(true));
    const r = await postFeedback(b.app, { items: Array.from({ length: 10 }, () => makeItem()) });
    expect(r.json.subset.index).toBe(1);
    await vi.waitFor(() => expect(b.seals).toEqual([[0]]));
  });

  it('counts one client’s quota and bursts over both replicas together', async () => {
    const screen = { quotaPerDay: 30, burstPerHour: 10 };
    const [a, b] = await Promise.all([replica({ screen }), replica({ screen })]);
    const clientId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        postFeedback(i % 2 === 0 ? a.app : b.app, {
          items: Array.from({ length: 5 }, () => makeItem({ clientId })),
        }),
      ),
    );
    const sum = (k: 'accepted' | 'duplicates') =>
      answers.reduce((n, r) => n + (r.json[k] as number), 0);
    const quota = answers.flatMap((r) => r.json.rejected as { reason: string }[]);
    expect([sum('accepted'), sum('duplicates'), quota.length]).toEqual([30, 0, 70]);
    expect(new Set(quota.map((q) => q.reason))).toEqual(new Set(['quota']));
    const rows = await query<{ flags: string[] | null }>(
      "SELECT entry -> 'flags' AS flags FROM feedback_items",
    );
    expect(rows).toHaveLength(30);
    expect(rows.filter((r) => r.flags?.includes('burst'))).toHaveLength(20);
  });

  it('shares review decisions: the other replica’s pending count, and review.jsonl before the retrain', async () => {
    const screen = { quotaPerDay: 0, burstPerHour: 1_000 };
    const options = { threshold: 3, adminToken: 'tok', screen };
    const [a, b] = await Promise.all([replica(options), replica(options)]);
    // makeItem's gray pad is no digit: every item is flagged `not_digit_like`.
    const items = [makeItem(), makeItem()];
    await postFeedback(b.app, { items });
    const decided = await b.app.request('/api/admin/review', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer tok' },
      body: JSON.stringify({ ids: [items[0]!.id], decision: 'reject' }),
    });
    expect(await decided.json()).toEqual({ decided: 1, unknown: [], pending: 1 });
    await vi.waitFor(async () =>
      expect((await jsonOf(a.app.request('/api/status'))).review).toEqual({ pending: 1 }),
    );
    // The third answer seals the subset: the replica holding the driver exports, then reports.
    await postFeedback(a.app, { items: [makeItem()] });
    await vi.waitFor(() => expect([...a.seals, ...b.seals]).toEqual([[0]]), { timeout: 20_000 });
    const decisions = await readReviewDecisions(dirs.data);
    expect(decisions.map((d) => [d.id, d.decision])).toEqual([[items[0]!.id, 'reject']]);
  });
});
