import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../src/log';
import type { RetrainDriver } from '../src/retrain/driver';
import { jsonOf, makeApp, tempDirs, V2, writeTinyModel, type TestApp } from './helpers';

// Finding 6 of issue 14 (admin routes: no lockout, no audit trail) and METRICS_TOKEN (10).

const TOKEN = 'test-admin-token';
const driver: RetrainDriver = {
  name: 'local',
  onSealed: () => undefined,
  requestRun: () => true,
  status: () => ({ state: 'idle', lastRun: null }),
  close: async () => undefined,
};
let dirs: ReturnType<typeof tempDirs>;
let t: TestApp;
let lines: { level: string; msg: string; address?: string }[];
let auditPath: string;

beforeEach(async () => {
  dirs = tempDirs();
  lines = [];
  auditPath = join(dirs.root, 'audit', 'admin-audit.jsonl');
  t = await makeApp(dirs, {
    adminToken: TOKEN,
    adminAuthFailuresPerMin: 3,
    adminAuditLog: auditPath,
    metricsToken: 'scrape-token',
    driver,
    log: createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l)) }),
    // Each test client names its address in a header; the server uses the peer address.
    clientKey: (c) => c.req.header('x-address') ?? '10.0.0.1',
  });
});
afterEach(async () => {
  await t.close();
  dirs.cleanup();
});

const admin = (path: string, token: string | null, address = '10.0.0.1', body?: unknown) =>
  t.app.request(`/api/admin/${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-address': address,
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

const audit = () =>
  readFileSync(auditPath, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('admin authentication failures', () => {
  it('are logged at warn, and past the limit the address gets 429 with Retry-After', async () => {
    for (const token of [null, 'wrong-1', 'wrong-2'])
      expect((await admin('retrain', token)).status).toBe(401);
    const locked = await admin('retrain', 'wrong-3');
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await jsonOf(locked)).error.code).toBe('rate_limited');
    // Locked out means locked out: guessing right now gives nothing away.
    expect((await admin('retrain', TOKEN)).status).toBe(429);
    // Another address is not punished for this one.
    expect((await admin('retrain', TOKEN, '10.0.0.2')).status).toBe(202);
    const warned = lines.filter((l) => l.msg === 'admin authentication failed');
    expect(warned.map((l) => [l.level, l.address])).toEqual([
      ['warn', '10.0.0.1'],
      ['warn', '10.0.0.1'],
      ['warn', '10.0.0.1'],
    ]);
  });
});

describe('the admin audit log', () => {
  it('records who did what, when, and the result, appending durably', async () => {
    expect((await admin('rollback', 'wrong-token', '10.0.0.9', { version: V2 })).status).toBe(401);
    const first = readFileSync(auditPath, 'utf8');
    // A rollback loads the model first: V2 must be a real (tiny) one.
    await writeTinyModel(dirs.models, V2);
    expect((await admin('rollback', TOKEN, '10.0.0.1', { version: V2 })).status).toBe(200);
    const bad = '2020-01-01T00-00-00-000Z';
    expect((await admin('rollback', TOKEN, '10.0.0.1', { version: bad })).status).toBe(404);
    expect((await admin('retrain', TOKEN)).status).toBe(202);
    expect(readFileSync(auditPath, 'utf8').startsWith(first)).toBe(true);
    const entries = audit();
    expect(entries).toMatchObject([
      { address: '10.0.0.9', action: 'POST /api/admin/rollback', status: 401 },
      {
        address: '10.0.0.1',
        action: 'POST /api/admin/rollback',
        status: 200,
        details: { version: V2 },
      },
      {
        address: '10.0.0.1',
        action: 'POST /api/admin/rollback',
        status: 404,
        details: { version: bad },
      },
      { address: '10.0.0.1', action: 'POST /api/admin/retrain', status: 202 },
    ]);
    for (const e of entries) expect(Date.parse(String(e.at))).not.toBeNaN();
  });
});

describe('METRICS_TOKEN', () => {
  it('guards /metrics with a bearer token when set', async () => {
    expect((await t.app.request('/metrics')).status).toBe(401);
    const wrong = { authorization: 'Bearer nope-nope' };
    expect((await t.app.request('/metrics', { headers: wrong })).status).toBe(401);
    const ok = await t.app.request('/metrics', {
      headers: { authorization: 'Bearer scrape-token' },
    });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('# TYPE feedback_items_total counter');
  });

  it('leaves /metrics open when unset', async () => {
    const open = await makeApp(dirs, {});
    expect((await open.app.request('/metrics')).status).toBe(200);
    await open.close();
  });
});
