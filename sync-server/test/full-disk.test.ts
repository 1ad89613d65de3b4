import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorBodySchema } from '../src/contract';
import { STORAGE_RETRY_AFTER_S } from '../src/middleware/errors';
import {
  capturingLogger,
  failingFs,
  makeApp,
  makeItem,
  postFeedback,
  tempDirs,
  type TestApp,
} from './helpers';

// A full disk cannot be made in CI: the store's write seam fails the way ENOSPC does.
let dirs: ReturnType<typeof tempDirs>;
let t: TestApp;
let disk: ReturnType<typeof failingFs>;
let logged: ReturnType<typeof capturingLogger>;
beforeEach(async () => {
  dirs = tempDirs();
  disk = failingFs();
  logged = capturingLogger();
  t = await makeApp(dirs, { threshold: 4, storeFs: disk.fs, log: logged.log });
});
afterEach(async () => {
  await t.close();
  dirs.cleanup();
});

const get = async (path: string) => {
  const res = await t.app.request(path);
  return { status: res.status, json: (await res.json()) as unknown };
};

describe('a full disk', () => {
  it('answers 503 with Retry-After and a JSON error, logs one warn line and no stack', async () => {
    // Subset 0 is sealed: the next write must create sub_set_1.
    await postFeedback(t.app, { items: Array.from({ length: 4 }, () => makeItem()) });
    const from = logged.lines().length;
    disk.failWith('ENOSPC');
    const items = [makeItem(), makeItem()];
    const r = await postFeedback(t.app, { items });
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe(String(STORAGE_RETRY_AFTER_S));
    expect(errorBodySchema.parse(r.json).error.code).toBe('storage_unavailable');
    expect(existsSync(join(dirs.data, 'sub_set_1'))).toBe(false);
    const lines = logged.lines().slice(from);
    expect(lines.filter((l) => l.level === 'warn').map((l) => l.msg)).toEqual([
      'store writes fail; answering 503 until one works',
      'request',
    ]);
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    expect(JSON.stringify(lines)).not.toMatch(/"stack"/);
    // The client keeps its items and retries once the disk has room: stored once.
    disk.failWith(null);
    const retry = await postFeedback(t.app, { items });
    expect(retry.json).toMatchObject({ accepted: 2, subset: { index: 1, count: 2 } });
  });

  it('makes /readyz answer 503 with the reason while /healthz stays 200; both recover', async () => {
    expect(await get('/readyz')).toEqual({ status: 200, json: { ok: true } });
    disk.failWith('ENOSPC');
    expect((await postFeedback(t.app, { items: [makeItem()] })).status).toBe(503);
    const down = await get('/readyz');
    expect(down.status).toBe(503);
    expect(errorBodySchema.parse(down.json).error).toMatchObject({
      code: 'not_ready',
      message: expect.stringMatching(/ENOSPC/),
    });
    expect(JSON.stringify(down.json)).not.toContain(dirs.root);
    expect((await get('/healthz')).status).toBe(200);
    // Readiness probes the disk itself: it recovers with no client write.
    disk.failWith(null);
    expect(await get('/readyz')).toEqual({ status: 200, json: { ok: true } });
    expect(existsSync(join(dirs.data, 'sub_set_0'))).toBe(false);
  });
});
