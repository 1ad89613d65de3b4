import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { metadataFileSchema } from '../../src/contract';
import { silentLogger } from '../../src/log';
import { openSubsetIndex, readReviewDecisions } from '../../src/registry';
import { exportNewData } from '../../src/storage-pg/export';
import { ImportConflictError, importNewData } from '../../src/storage-pg/import';
import { migrate } from '../../src/storage-pg/migrate';
import { createPool } from '../../src/storage-pg/pool';
import { jsonOf, makeApp, makeItem, postFeedback, tempDirs } from '../helpers';
import { pgSuite, pgUnavailable, startCluster, type PgCluster } from './cluster';
import { startReplica, type PgReplica } from './replica';

const skip = pgUnavailable();
const FIXTURE = join(import.meta.dirname, '..', 'fixtures', 'original-new_data');
const ROOT = join(import.meta.dirname, '..', '..');
let cluster: PgCluster;
let db = 0;
let url: string;
let fsDirs: ReturnType<typeof tempDirs>;
let pgDirs: ReturnType<typeof tempDirs>;
let out: ReturnType<typeof tempDirs>;
const closing: { close(): Promise<void> }[] = [];

beforeAll(() => {
  if (!skip) cluster = startCluster();
});
afterAll(() => cluster?.destroy());
beforeEach(() => {
  if (skip) return;
  url = cluster.createDatabase(`export_${++db}`);
  [fsDirs, pgDirs, out] = [tempDirs(), tempDirs(), tempDirs()];
});
afterEach(async () => {
  for (const c of closing.splice(0)) await c.close();
  for (const d of [fsDirs, pgDirs, out]) d?.cleanup();
});

async function withPool<T>(work: (pool: ReturnType<typeof createPool>) => Promise<T>): Promise<T> {
  const pool = createPool(url, { timeoutMs: 5_000 }, silentLogger);
  try {
    await migrate(pool, silentLogger);
    return await work(pool);
  } finally {
    await pool.end();
  }
}

async function replica(): Promise<PgReplica> {
  // Screened as makeApp screens (flags, no quota), so the flags must match too.
  const screen = { quotaPerDay: 0, burstPerHour: 1_000_000 };
  const r = await startReplica(url, pgDirs, { threshold: 3, screen });
  closing.push(r);
  return r;
}

/** Every file under `dir` (relative path → bytes). */
// Each store stamps an entry with the clock of the moment it received it (`received_at`):
// that differs, so it is compared as present only. Every other byte must match, flags included.
function withoutScreening(files: Map<string, Buffer>): Map<string, Buffer> {
  for (const [path, body] of files) {
    if (!path.endsWith('metadata.json')) continue;
    const entries = (JSON.parse(body.toString('utf8')) as Record<string, unknown>[]).map(
      ({ received_at: at, ...rest }) => ({ ...rest, received_at: typeof at }),
    );
    files.set(path, Buffer.from(`${JSON.stringify(entries, null, 2)}\n`));
  }
  return files;
}

function tree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  walk(dir);
  return files;
}

describe.skipIf(skip)(pgSuite('export and import between PostgreSQL and new_data/'), () => {
  it('exports exactly what the file store writes for the same answers', async () => {
    const files = await makeApp(fsDirs, { threshold: 3 });
    closing.push(files);
    const pg = await replica();
    // Same answers, same order; two share id prefix, label and millisecond (a name collision).
    const twin = { label: 4, createdAt: '2026-11-20T10:00:00.000Z' };
    const batches = [
      [makeItem({ label: 1 }), makeItem({ label: 2 })],
      [makeItem({ ...twin, id: 'abcdef01-0000-4000-8000-000000000001' })],
      [makeItem({ ...twin, id: 'abcdef01-0000-4000-8000-000000000002' }), makeItem({}, 7)],
      [makeItem({ label: 9, clientId: 'f0e1d2c3-0000-4000-8000-000000000000' }), makeItem()],
    ];
    for (const items of batches) {
      expect((await postFeedback(files.app, { items })).status).toBe(200);
      expect((await postFeedback(pg.app, { items })).status).toBe(200);
    }
    await withPool((pool) => exportNewData(pool, out.data));
    const expected = withoutScreening(tree(fsDirs.data));
    expect([...expected.keys()].sort()).toContain('sub_set_2/metadata.json');
    expect(withoutScreening(tree(out.data))).toEqual(expected);
    // The trainer's seal rule reads it as the server meant it: subsets 0 and 1 sealed.
    const sizes = new Map([0, 1, 2].map((i) => [i, metadataOf(out.data, i).length]));
    expect(await openSubsetIndex(out.data, sizes, 3)).toBe(2);
  });

  it("imports the original system's new_data once, however often it runs", async () => {
    const first = await withPool((pool) => importNewData(pool, FIXTURE, 10));
    expect(first).toEqual({ subsets: 5, inserted: 50, present: 0, decisions: 0 });
    const again = await withPool((pool) => importNewData(pool, FIXTURE, 10));
    expect(again).toEqual({ subsets: 5, inserted: 0, present: 50, decisions: 0 });

    const exported = await withPool((pool) => exportNewData(pool, out.data));
    expect(exported.count).toEqual({ current_count: 0, sub_set_count: 5 });
    for (let i = 0; i < 5; i++) {
      // Same entries in the same order, key for key (the original's file is indented by 4).
      expect(metadataOf(out.data, i)).toEqual(metadataOf(FIXTURE, i));
      for (const e of metadataOf(FIXTURE, i)) {
        const png = join(`sub_set_${i}`, e.filename);
        let original: Buffer | null = null;
        try {
          original = readFileSync(join(FIXTURE, png));
        } catch {
          // The entry whose PNG the original system lost: still lost, still listed.
        }
        if (original) expect(readFileSync(join(out.data, png))).toEqual(original);
      }
    }
    const r = await startReplica(url, pgDirs, { threshold: 10 });
    closing.push(r);
    expect((await jsonOf(r.app.request('/api/status'))).feedback).toEqual({
      total: 50,
      sealedSubsets: 5,
    });
    const posted = await postFeedback(r.app, { items: [makeItem()] });
    expect(posted.json.subset).toEqual({ index: 5, count: 1, threshold: 10 });
    // Imported seals are reported already: no retrain of the old data starts.
    expect(r.seals).toEqual([]);
  });

  it('refuses an import over different answers at the same places, importing nothing', async () => {
    const pg = await replica();
    await postFeedback(pg.app, { items: [makeItem()] });
    const err = await withPool((pool) => importNewData(pool, FIXTURE, 10)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImportConflictError);
    expect((err as Error).message).toMatch(/^sub_set_0: /);
    expect(pg.store.totals().total).toBe(1);
  });

  it('imports the review decisions of review.jsonl once, and the pending count with them', async () => {
    const files = await makeApp(fsDirs, { threshold: 3, adminToken: 'tok' });
    closing.push(files);
    // makeItem's gray pad is no digit: every item is flagged `not_digit_like`.
    const items = [makeItem(), makeItem(), makeItem()];
    await postFeedback(files.app, { items });
    for (const [i, decision] of [
      [0, 'reject'],
      [1, 'accept'],
      [0, 'accept'],
    ] as const)
      await files.app.request('/api/admin/review', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer tok' },
        body: JSON.stringify({ ids: [items[i]!.id], decision }),
      });
    const original = await readReviewDecisions(fsDirs.data);
    const first = await withPool((pool) => importNewData(pool, fsDirs.data, 3));
    expect(first).toMatchObject({ inserted: 3, decisions: 3 });
    const again = await withPool((pool) => importNewData(pool, fsDirs.data, 3));
    expect(again).toMatchObject({ inserted: 0, decisions: 0 });
    const r = await replica();
    expect((await jsonOf(r.app.request('/api/status'))).review).toEqual({ pending: 1 });
    await withPool((pool) => exportNewData(pool, out.data));
    expect(await readReviewDecisions(out.data)).toEqual(original);
  });

  it('runs import and export by hand with one line each', () => {
    cpSync(FIXTURE, fsDirs.data, { recursive: true });
    const run = (script: string, dataDir: string) =>
      execFileSync(process.execPath, ['--import', 'tsx', join(ROOT, 'scripts', script)], {
        cwd: ROOT,
        env: { ...process.env, STORE: 'postgres', DATABASE_URL: url, DATA_DIR: dataDir },
        encoding: 'utf8',
      });
    expect(run('import.ts', fsDirs.data)).toMatch(
      /^import: 5 subsets read .*: 50 entries imported, 0 already present, 0 review/,
    );
    expect(run('import.ts', fsDirs.data)).toMatch(
      /0 entries imported, 50 already present, 0 review decisions imported\n$/,
    );
    const line = run('export.ts', out.data);
    expect(line).toMatch(/^export: 5 subsets written/);
    expect(line).not.toContain(url);
    expect(metadataOf(out.data, 4)).toEqual(metadataOf(FIXTURE, 4));
  });
});

function metadataOf(dataDir: string, index: number) {
  const text = readFileSync(join(dataDir, `sub_set_${index}`, 'metadata.json'), 'utf8');
  return metadataFileSchema.parse(JSON.parse(text));
}
