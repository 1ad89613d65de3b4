import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statusSchema } from '../src/contract';
import type { RetrainDriver } from '../src/retrain/driver';
import { readHistoryLog } from '../src/registry';
import {
  makeApp,
  makeItem,
  postFeedback,
  jsonOf,
  tempDirs,
  writeTinyModel,
  V1,
  V2,
  type TestApp,
} from './helpers';

const TOKEN = 'test-admin-token';
let dirs: ReturnType<typeof tempDirs>;
let t: TestApp;
let runs: string[];
const driver: RetrainDriver = {
  name: 'local',
  onSealed: () => undefined,
  requestRun: (reason) => (runs.push(reason), true),
  status: () => ({ state: runs.length ? 'running' : 'idle', lastRun: null }),
  close: async () => undefined,
};

beforeEach(async () => {
  runs = [];
  dirs = tempDirs();
  t = await makeApp(dirs, { adminToken: TOKEN, driver, threshold: 3 });
});
afterEach(async () => {
  await t.close();
  dirs.cleanup();
});

const admin = (path: string, body?: unknown, token: string | null = TOKEN) =>
  t.app.request(`/api/admin/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

describe('GET /api/status', () => {
  it('reports version, subset progress, retrain state and totals', async () => {
    await postFeedback(t.app, { items: Array.from({ length: 4 }, () => makeItem()) });
    const res = await t.app.request('/api/status');
    expect(statusSchema.parse(await jsonOf(res))).toEqual({
      currentVersion: V1,
      subset: { index: 1, count: 1, threshold: 3 },
      retrain: { state: 'idle', lastRun: null },
      feedback: { total: 4, sealedSubsets: 1 },
      // makeItem's pad is gray all over: ink touching everything, held for review.
      review: { pending: 4 },
    });
  });

  it('takes lastRun from the manifest history before this process ran anything', async () => {
    const path = join(dirs.models, 'manifest.json');
    const m = JSON.parse(readFileSync(path, 'utf8'));
    m.history = [
      {
        startedAt: '2026-11-26T12:00:00.000Z',
        finishedAt: '2026-11-26T12:01:00.000Z',
        outcome: 'rejected',
        reason: 'regressed',
      },
    ];
    writeFileSync(path, JSON.stringify(m));
    await t.manifests.reload();
    const s = await jsonOf(t.app.request('/api/status'));
    expect(s.retrain.lastRun).toMatchObject({ outcome: 'rejected', reason: 'regressed' });
  });
});

describe('admin routes', () => {
  it('answer 401 without or with a wrong token', async () => {
    for (const token of [null, 'wrong-token']) {
      const res = await admin('rollback', { version: V2 }, token);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      expect((await jsonOf(res)).error.code).toBe('unauthorized');
    }
  });

  it('are disabled (403) when no ADMIN_TOKEN is configured', async () => {
    const off = await makeApp(dirs, { adminToken: null });
    const res = await off.app.request('/api/admin/retrain', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(403);
    await off.close();
  });

  it('roll back to a kept version that loads, record it, and serve it at once', async () => {
    await writeTinyModel(dirs.models, V2);
    const res = await admin('rollback', { version: V2 });
    expect(res.status).toBe(200);
    expect(await jsonOf(res)).toEqual({ current: V2 });
    const manifest = JSON.parse(readFileSync(join(dirs.models, 'manifest.json'), 'utf8'));
    expect(manifest.current).toBe(V2);
    const rolledBack = { outcome: 'rolled-back', version: V2, parent: V1 };
    expect(manifest.history).toMatchObject([rolledBack]);
    expect(await readHistoryLog(dirs.models)).toMatchObject([rolledBack]);
    expect((await jsonOf(t.app.request('/api/model/manifest'))).current).toBe(V2);
    // A rollback is not a retrain run.
    expect((await jsonOf(t.app.request('/api/status'))).retrain.lastRun).toBeNull();
  });

  it('refuse a rollback to a version whose files do not load', async () => {
    const res = await admin('rollback', { version: V2 });
    expect([res.status, (await jsonOf(res)).error.message]).toEqual([
      409,
      expect.stringMatching(/does not load/),
    ]);
    expect(JSON.parse(readFileSync(join(dirs.models, 'manifest.json'), 'utf8')).current).toBe(V1);
  });

  it('refuse rollbacks to unknown, malformed or missing versions, and while a run holds the lock', async () => {
    expect((await admin('rollback', { version: '2020-01-01T00-00-00-000Z' })).status).toBe(404);
    expect((await admin('rollback', { version: '../etc' })).status).toBe(400);
    expect((await admin('rollback', 'nope')).status).toBe(400);
    rmSync(join(dirs.models, V2, 'model.json'));
    expect((await admin('rollback', { version: V2 })).status).toBe(409);
    await writeTinyModel(dirs.models, V2);
    const now = new Date().toISOString();
    const lock = (pid: number) => JSON.stringify({ pid, startedAt: now, purpose: 'retrain' });
    writeFileSync(join(dirs.models, '.retrain.lock'), lock(process.ppid));
    const busy = await admin('rollback', { version: V2 });
    expect([busy.status, (await jsonOf(busy)).error.code]).toEqual([409, 'retrain_running']);
    // A lock left by a dead process is taken over.
    writeFileSync(join(dirs.models, '.retrain.lock'), lock(2 ** 22 + 7));
    expect((await admin('rollback', { version: V2 })).status).toBe(200);
  });

  it('start a retrain run (202), or 409 when the driver never retrains', async () => {
    const res = await admin('retrain');
    expect(res.status).toBe(202);
    expect(runs).toEqual(['admin request']);
    const none = await makeApp(dirs, { adminToken: TOKEN });
    const off = await none.app.request('/api/admin/retrain', {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(off.status).toBe(409);
    await none.close();
  });
});

describe('ops routes', () => {
  it('GET /healthz', async () => {
    const res = await t.app.request('/healthz');
    expect([res.status, await jsonOf(res)]).toEqual([200, { ok: true }]);
  });

  it('GET /metrics in Prometheus text with the live version and request durations', async () => {
    await t.app.request('/api/status');
    const res = await t.app.request('/metrics');
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    expect(text).toContain('# TYPE feedback_items_total counter');
    expect(text).toContain('# TYPE retrain_runs_total counter');
    expect(text).toContain('# TYPE retrain_duration_seconds histogram');
    expect(text).toMatch(new RegExp(`model_live_info\\{version="${V1}"\\} 1`));
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/status",status="200"\} 1/,
    );
  });

  it('answers unknown API paths with a JSON 404', async () => {
    const res = await t.app.request('/api/nope');
    expect(res.status).toBe(404);
    expect((await jsonOf(res)).error.code).toBe('not_found');
  });

  it('tags every answer with a request id', async () => {
    const res = await t.app.request('/healthz');
    expect(res.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
  });
});
