import { randomUUID } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RetrainDriver } from '../src/retrain/driver';
import {
  failingFs,
  makeApp,
  makeItem,
  tempDirs,
  V1,
  V2,
  writeTinyModel,
  type TestApp,
} from './helpers';
import { openApiChecker } from './openapi-check';
import { pgSuite, pgUnavailable, startCluster, type PgCluster } from './pg/cluster';
import { startReplica } from './pg/replica';

const TOKEN = 'contract-admin-token';
const { check, seen, documented } = openApiChecker();
let dirs: ReturnType<typeof tempDirs>;
let t: TestApp;
const apps: TestApp[] = [];
const runningDriver: RetrainDriver = {
  name: 'local',
  onSealed: () => undefined,
  requestRun: () => true,
  status: () => ({ state: 'running', lastRun: null }),
  close: async () => undefined,
};

beforeEach(async () => {
  dirs = tempDirs();
  t = await makeApp(dirs, { adminToken: TOKEN, driver: runningDriver });
});
afterEach(async () => {
  await t.close();
  for (const a of apps.splice(0)) await a.close();
  dirs.cleanup();
});

/** Another app on the same folders, closed after the test. */
async function other(options: Parameters<typeof makeApp>[1]): Promise<TestApp> {
  const a = await makeApp(dirs, options);
  apps.push(a);
  return a;
}

const post = (app: TestApp, path: string, body: unknown, headers: Record<string, string> = {}) =>
  app.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const asAdmin = { authorization: `Bearer ${TOKEN}` };

/** A POST whose body starts and then stalls: the server's body deadline answers it. */
function stalled(app: TestApp, path: string, headers: Record<string, string> = {}) {
  const body = new ReadableStream<Uint8Array>({
    start: (c) => c.enqueue(new TextEncoder().encode('{"items":[')),
  });
  return app.app.request(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
    duplex: 'half',
  } as RequestInit);
}
const BODY_DEADLINE = { bodyTimeoutMs: 50, maxBodies: 10, maxBodiesPerClient: 10 };

describe('POST /api/feedback', () => {
  const P = '/api/feedback';
  it('answers as documented: 200, 400 ×2, 413, 415', async () => {
    const good = makeItem();
    await check(await post(t, P, { items: [good, good, { id: 'x' }] }), 'post', P);
    await check(await post(t, P, '{"items": ['), 'post', P);
    await check(await post(t, P, { items: [] }), 'post', P);
    await check(await post(t, P, `{"items":["${'x'.repeat(600 * 1024)}"]}`), 'post', P);
    await check(await post(t, P, 'x', { 'content-type': 'text/plain' }), 'post', P);
  });

  it('answers 429 with Retry-After past the rate limit', async () => {
    const limited = await other({ rateLimitPerMin: 1, clientKey: () => 'one' });
    await check(await post(limited, P, { items: [makeItem()] }), 'post', P);
    const res = await post(limited, P, { items: [makeItem()] });
    expect(res.status).toBe(429);
    await check(res, 'post', P);
  });

  it('answers 408 when the body does not arrive in time', async () => {
    const slow = await other({ limits: BODY_DEADLINE });
    const res = await stalled(slow, P);
    expect(res.status).toBe(408);
    await check(res, 'post', P);
  });

  it('answers 503 when the store cannot take writes', async () => {
    await t.store.close();
    const res = await post(t, P, { items: [makeItem()] });
    expect(res.status).toBe(503);
    await check(res, 'post', P);
  });
});

describe('model and status', () => {
  it('GET /api/model/manifest: 200, 304, 404', async () => {
    const P = '/api/model/manifest';
    const res = await t.app.request(P);
    const etag = res.headers.get('etag')!;
    await check(res, 'get', P);
    await check(await t.app.request(P, { headers: { 'if-none-match': etag } }), 'get', P);
    const empty = tempDirs([]);
    const none = await makeApp(empty);
    await check(await none.app.request(P), 'get', P);
    await none.close();
    empty.cleanup();
  });

  it('GET /models/{version}/{file}: JSON, binary, 404', async () => {
    const P = '/models/{version}/{file}';
    await check(await t.app.request(`/models/${V1}/model.json`), 'get', P);
    await check(await t.app.request(`/models/${V1}/group1-shard1of1.bin`), 'get', P);
    await check(await t.app.request(`/models/${V1}/nope.bin`), 'get', P);
  });

  it('GET /api/status: 200, and the default error when something breaks', async () => {
    await check(await t.app.request('/api/status'), 'get', '/api/status');
    const broken = await other({ driver: { ...runningDriver, status: () => raise() } });
    const res = await broken.app.request('/api/status');
    expect(res.status).toBe(500);
    await check(res, 'get', '/api/status');
  });
});

describe('admin', () => {
  const R = '/api/admin/rollback';
  it('POST /api/admin/rollback: 200, 400, 401, 404, 409 ×2, 413, 415', async () => {
    // A rollback loads the model first: both versions are real (tiny) models.
    await writeTinyModel(dirs.models, V1);
    await writeTinyModel(dirs.models, V2);
    await check(await post(t, R, { version: V2 }, asAdmin), 'post', R);
    await check(await post(t, R, { version: '../x' }, asAdmin), 'post', R);
    await check(await post(t, R, '{', asAdmin), 'post', R);
    await check(await post(t, R, { version: V2 }, { authorization: 'Bearer wrong' }), 'post', R);
    await check(await post(t, R, { version: '2020-01-01T00-00-00-000Z' }, asAdmin), 'post', R);
    await check(await post(t, R, { version: 'x'.repeat(5000) }, asAdmin), 'post', R);
    await check(await post(t, R, 'x', { ...asAdmin, 'content-type': 'text/plain' }), 'post', R);
    // Held by another live process (this one's parent): a lock of our own pid is a leftover.
    writeFileSync(join(dirs.models, '.retrain.lock'), JSON.stringify({ pid: process.ppid }));
    const busy = await post(t, R, { version: V1 }, asAdmin);
    expect(busy.status).toBe(409);
    await check(busy, 'post', R);
    rmSync(join(dirs.models, '.retrain.lock'));
    rmSync(join(dirs.models, V1, 'model.json'));
    const gone = await post(t, R, { version: V1 }, asAdmin);
    expect(gone.status).toBe(409);
    await check(gone, 'post', R);
  });

  it('POST /api/admin/retrain: 202, 401, 403, 409', async () => {
    const P = '/api/admin/retrain';
    await check(await post(t, P, '', asAdmin), 'post', P);
    await check(await post(t, P, ''), 'post', P);
    const off = await other({ adminToken: null });
    await check(await post(off, P, '', asAdmin), 'post', P);
    await check(await post(off, R, { version: V1 }, asAdmin), 'post', R);
    const never = await other({ adminToken: TOKEN });
    await check(await post(never, P, '', asAdmin), 'post', P);
  });
});

describe('admin guards', () => {
  it('every admin route: 408 on a stalled body, 429 past the failed authentications', async () => {
    const R = '/api/admin/rollback';
    const V = '/api/admin/review';
    const slow = await other({ adminToken: TOKEN, limits: BODY_DEADLINE });
    await check(await stalled(slow, R, asAdmin), 'post', R);
    await check(await stalled(slow, V, asAdmin), 'post', V);
    const locked = await other({ adminToken: TOKEN, adminAuthFailuresPerMin: 1 });
    const wrong = { authorization: 'Bearer wrong-wrong' };
    expect((await post(locked, R, { version: V1 }, wrong)).status).toBe(401);
    const answers: [Response, string, string][] = [
      [await post(locked, R, { version: V1 }, asAdmin), 'post', R],
      [await post(locked, '/api/admin/retrain', '', asAdmin), 'post', '/api/admin/retrain'],
      [await locked.app.request(V, { headers: asAdmin }), 'get', V],
      [await post(locked, V, { clientId: randomUUID(), decision: 'reject' }, asAdmin), 'post', V],
      [
        await locked.app.request(`${V}/${randomUUID()}/image`, { headers: asAdmin }),
        'get',
        `${V}/{id}/image`,
      ],
      [
        await locked.app.request('/api/admin/recent', { headers: asAdmin }),
        'get',
        '/api/admin/recent',
      ],
    ];
    for (const [res, method, path] of answers) {
      expect(res.status).toBe(429);
      await check(res, method, path);
    }
  });
});

describe('review', () => {
  const V = '/api/admin/review';
  const I = '/api/admin/review/{id}/image';
  it('GET /api/admin/review: 200, 400, 401, 403; its images: 200, 401, 403, 404', async () => {
    const item = makeItem({ label: 7, predicted: 1, confidence: 0.999 });
    await post(t, '/api/feedback', { items: [item] });
    const page = await t.app.request(`${V}?state=pending`, { headers: asAdmin });
    const { items } = (await page.clone().json()) as { items: { imageUrl: string }[] };
    expect(items).toHaveLength(1);
    await check(page, 'get', V);
    await check(await t.app.request(`${V}?state=maybe`, { headers: asAdmin }), 'get', V);
    await check(await t.app.request(V), 'get', V);
    await check(await t.app.request(items[0]!.imageUrl, { headers: asAdmin }), 'get', I);
    await check(await t.app.request(items[0]!.imageUrl), 'get', I);
    const none = `${V}/${randomUUID()}/image`;
    await check(await t.app.request(none, { headers: asAdmin }), 'get', I);
    const off = await other({ adminToken: null });
    await check(await off.app.request(V, { headers: asAdmin }), 'get', V);
    await check(await off.app.request(items[0]!.imageUrl, { headers: asAdmin }), 'get', I);
    await check(await post(off, V, { ids: [item.id], decision: 'accept' }, asAdmin), 'post', V);
  });

  it('POST /api/admin/review: 200 ×2, 400 ×2, 401, 413, 415', async () => {
    const item = makeItem({ clientId: randomUUID() });
    await post(t, '/api/feedback', { items: [item] });
    await check(
      await post(t, V, { ids: [item.id, randomUUID()], decision: 'accept' }, asAdmin),
      'post',
      V,
    );
    await check(
      await post(t, V, { clientId: item.clientId, decision: 'reject' }, asAdmin),
      'post',
      V,
    );
    await check(await post(t, V, { ids: [item.id], decision: 'maybe' }, asAdmin), 'post', V);
    await check(await post(t, V, '{', asAdmin), 'post', V);
    await check(await post(t, V, { ids: [item.id], decision: 'accept' }), 'post', V);
    const huge = { ids: Array.from({ length: 14_000 }, () => randomUUID()), decision: 'accept' };
    await check(await post(t, V, huge, asAdmin), 'post', V);
    await check(await post(t, V, 'x', { ...asAdmin, 'content-type': 'text/plain' }), 'post', V);
  });
});

describe('statistics', () => {
  it('GET /api/stats: 200; GET /api/admin/recent: 200, 400, 401, 403', async () => {
    await post(t, '/api/feedback', { items: [makeItem()] });
    await check(await t.app.request('/api/stats'), 'get', '/api/stats');
    const P = '/api/admin/recent';
    await check(await t.app.request(P, { headers: asAdmin }), 'get', P);
    await check(await t.app.request(`${P}?perDigit=0`, { headers: asAdmin }), 'get', P);
    await check(await t.app.request(P), 'get', P);
    const off = await other({ adminToken: null });
    await check(await off.app.request(P, { headers: asAdmin }), 'get', P);
  });
});

describe('ops and docs', () => {
  it('GET /readyz: 200, and 503 once a write failed on the disk', async () => {
    const disk = failingFs();
    const a = await other({ storeFs: disk.fs });
    await check(await a.app.request('/readyz'), 'get', '/readyz');
    disk.failWith('ENOSPC');
    expect((await post(a, '/api/feedback', { items: [makeItem()] })).status).toBe(503);
    const down = await a.app.request('/readyz');
    expect(down.status).toBe(503);
    await check(down, 'get', '/readyz');
  });

  it('GET /metrics: 401 without the METRICS_TOKEN it requires', async () => {
    const guarded = await other({ metricsToken: 'scrape-token-1' });
    const res = await guarded.app.request('/metrics');
    expect(res.status).toBe(401);
    await check(res, 'get', '/metrics');
  });

  it('GET /healthz, /metrics, /api/openapi.json, /api/docs and its scripts', async () => {
    await check(await t.app.request('/healthz'), 'get', '/healthz');
    await check(await t.app.request('/metrics'), 'get', '/metrics');
    await check(await t.app.request('/api/openapi.json'), 'get', '/api/openapi.json');
    await check(await t.app.request('/api/docs'), 'get', '/api/docs');
    const D = '/api/docs/{asset}';
    for (const asset of ['scalar.js', 'init.js', 'nope.js'])
      await check(await t.app.request(`/api/docs/${asset}`), 'get', D);
    const etag = (await t.app.request('/api/docs/scalar.js')).headers.get('etag')!;
    const same = await t.app.request('/api/docs/scalar.js', { headers: { 'if-none-match': etag } });
    await check(same, 'get', D);
  });
});

afterAll(() => {
  // Every documented answer was produced by a real request above.
  // The 503s of a database that cannot answer need PostgreSQL (`pgUnavailable` says why not).
  const unseen = documented().filter((k) => !seen.has(k));
  expect(pgUnavailable() ? unseen.filter((k) => !STORE_DOWN.includes(k)) : unseen).toEqual([]);
});

function raise(): never {
  throw new Error('broken on purpose');
}

const STORE_DOWN = [
  'GET /api/stats 503',
  'GET /api/admin/recent 503',
  'GET /api/admin/review 503',
  'POST /api/admin/review 503',
  'GET /api/admin/review/{id}/image 503',
];

describe.skipIf(pgUnavailable())(pgSuite('a PostgreSQL store whose database is down'), () => {
  let cluster: PgCluster;
  beforeAll(() => {
    cluster = startCluster();
  });
  afterAll(() => cluster?.destroy());

  it('503 with Retry-After from review, stats and recent answers', async () => {
    const pgDirs = tempDirs();
    const replica = await startReplica(cluster.createDatabase('contract'), pgDirs, {
      adminToken: TOKEN,
      timeoutMs: 2_000,
    });
    try {
      cluster.stop();
      const get = (path: string) => replica.app.request(path, { headers: asAdmin });
      const id = randomUUID();
      const answers = [
        ['get', '/api/stats', await get('/api/stats')],
        ['get', '/api/admin/recent', await get('/api/admin/recent')],
        ['get', '/api/admin/review', await get('/api/admin/review')],
        [
          'post',
          '/api/admin/review',
          await replica.app.request('/api/admin/review', {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...asAdmin },
            body: JSON.stringify({ ids: [id], decision: 'accept' }),
          }),
        ],
        ['get', '/api/admin/review/{id}/image', await get(`/api/admin/review/${id}/image`)],
      ] as const;
      for (const [method, path, res] of answers) {
        expect(res.status, path).toBe(503);
        expect(res.headers.get('retry-after'), path).toMatch(/^\d+$/);
        await check(res, method, path);
      }
    } finally {
      cluster.start();
      await replica.close();
      pgDirs.cleanup();
    }
  });
});
