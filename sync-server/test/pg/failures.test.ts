import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log';
import { migrate, MIGRATIONS_DIR, MigrationError } from '../../src/storage-pg/migrate';
import { createPool } from '../../src/storage-pg/pool';
import { capturingLogger, makeItem, postFeedback, tempDirs } from '../helpers';
import { pgSuite, pgUnavailable, startCluster, type PgCluster } from './cluster';
import { startReplica, type PgReplica } from './replica';

const skip = pgUnavailable();
let cluster: PgCluster;
let db = 0;
let url: string;
let dirs: ReturnType<typeof tempDirs>;
let replica: PgReplica | null = null;

beforeAll(() => {
  if (!skip) cluster = startCluster();
});
afterAll(() => cluster?.destroy());
beforeEach(() => {
  if (skip) return;
  url = cluster.createDatabase(`failures_${++db}`);
  dirs = tempDirs();
});
afterEach(async () => {
  await replica?.close();
  replica = null;
  dirs?.cleanup();
});

describe.skipIf(skip)(pgSuite('PostgreSQL store failures'), () => {
  it('answers 503 with Retry-After while the database is down, then recovers by itself', async () => {
    const log = capturingLogger();
    replica = await startReplica(url, dirs, {
      log: log.log,
      timeoutMs: 2_000,
      adminToken: 'failures-admin-token',
    });
    const acked: string[] = [];
    const send = async () => {
      const batch = [makeItem(), makeItem()];
      const r = await postFeedback(replica!.app, { items: batch });
      if (r.status === 200) acked.push(...batch.map((i) => i.id));
      return r;
    };
    expect((await send()).status).toBe(200);

    cluster.stop();
    const down = await send();
    expect(down.status).toBe(503);
    expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(down.json.error.code).toBe('storage_unavailable');
    // Reads that need the database say so too, rather than a 500 with a stack.
    for (const path of ['/api/admin/review?state=pending', '/api/admin/recent']) {
      const read = await replica.app.request(path, {
        headers: { authorization: 'Bearer failures-admin-token' },
      });
      expect(read.status, path).toBe(503);
      expect(read.headers.get('retry-after'), path).toMatch(/^\d+$/);
      expect(((await read.json()) as { error: { code: string } }).error.code).toBe(
        'storage_unavailable',
      );
    }
    expect((await replica.app.request('/healthz')).status).toBe(200);
    const ready = await replica.app.request('/readyz');
    expect(ready.status).toBe(503);
    // The connection string (it may hold a password) appears in no log line.
    expect(JSON.stringify(log.lines())).not.toContain(url);

    cluster.start();
    // Like the app's outbox: retry until the server takes it. No restart of the replica.
    let up = await send();
    while (up.status !== 200) up = await send();
    expect((await replica.app.request('/readyz')).status).toBe(200);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const stored = await client.query<{ id: string }>('SELECT id FROM feedback_items');
    await client.end();
    // Nothing acknowledged lost, nothing half-stored from the refused batches.
    expect(stored.rows.map((r) => r.id).sort()).toEqual([...acked].sort());
  });

  it('answers 503 within the timeout while the database stalls, and works once it moves', async () => {
    replica = await startReplica(url, dirs, { timeoutMs: 1_000 });
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    // Another session holds the state row: every commit waits for it (a stalled database).
    await holder.query('BEGIN');
    await holder.query('SELECT * FROM feedback_state FOR UPDATE');
    const stalled = await postFeedback(replica.app, { items: [makeItem()] });
    expect(stalled.status).toBe(503);
    await holder.query('ROLLBACK');
    await holder.end();
    expect((await postFeedback(replica.app, { items: [makeItem()] })).status).toBe(200);
  });

  it('stops at a failed migration with one line naming it, and applies none of it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    writeFileSync(join(dir, '001-feedback.sql'), 'CREATE TABLE ok_table (x int);');
    writeFileSync(join(dir, '002-broken.sql'), 'CREATE TABLE half (x int); SELEC nonsense;');
    const pool = createPool(url, { timeoutMs: 5_000 }, silentLogger);
    try {
      const err = await migrate(pool, silentLogger, dir).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MigrationError);
      expect((err as Error).message).toMatch(/^database migration 002-broken\.sql failed: .*SELEC/);
      expect((err as Error).message).not.toContain('\n');
      const versions = await pool.query('SELECT version FROM schema_migrations');
      expect(versions.rows).toEqual([{ version: 1 }]);
      const half = await pool.query("SELECT to_regclass('half') AS t");
      expect(half.rows[0].t).toBeNull();
    } finally {
      await pool.end();
    }
    expect(MIGRATIONS_DIR).toMatch(/migrations\/?$/);
  });
});
