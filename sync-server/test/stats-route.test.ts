import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePixels, recentAnswersSchema, statsSchema } from '../src/contract';
import { makeApp, makeItem, postFeedback, tempDirs, V1, V2, type TestApp } from './helpers';
import { storeCases, type CaseApp } from './store-cases';

let dirs: ReturnType<typeof tempDirs>;
let t: TestApp;

describe('compression', () => {
  beforeEach(async () => {
    dirs = tempDirs([V1, V2]);
    t = await makeApp(dirs, { threshold: 3 });
  });
  afterEach(async () => {
    await t.close();
    dirs.cleanup();
  });
  it('gzips JSON answers for a client that takes it, keeping the manifest revalidation', async () => {
    const res = await t.app.request('/api/model/manifest', {
      headers: { 'accept-encoding': 'gzip' },
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const manifest = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString());
    expect(manifest.current).toBe(V1);
    const etag = res.headers.get('etag');
    expect(etag).toBeTruthy();
    const again = await t.app.request('/api/model/manifest', {
      headers: { 'accept-encoding': 'gzip', 'if-none-match': etag! },
    });
    expect(again.status).toBe(304);
  });
});

// The answer views on both stores: the PostgreSQL store reads them from the database.
for (const store of storeCases())
  describe.skipIf(store.skip)(`answer views on the ${store.name} store`, () => {
    let a: CaseApp;
    if (!store.skip) store.hooks();
    beforeEach(() => {
      dirs = tempDirs([V1, V2]);
    });
    afterEach(async () => {
      await a?.close();
      dirs?.cleanup();
    });
    const stats = async () => statsSchema.parse(await (await a.app.request('/api/stats')).json());

    it('GET /api/stats scores stored answers per version and follows new answers', async () => {
      a = await store.open(dirs, { threshold: 3 });
      expect(await stats()).toEqual({ scored: 0, versions: [], prequential: [] });
      const items = [
        makeItem({ label: 7, predicted: 7, modelVersion: V1 }),
        makeItem({ label: 7, predicted: 1, modelVersion: V1 }),
        makeItem({ label: 2, predicted: 2, modelVersion: V2 }),
        makeItem({ label: 4, predicted: null, confidence: null, modelVersion: V2 }),
      ];
      expect((await postFeedback(a.app, { items })).status).toBe(200);
      const s = await stats();
      expect(s.scored).toBe(3);
      expect(s.versions.map((v) => [v.version, v.answers, v.correct])).toEqual([
        [V1, 2, 1],
        [V2, 1, 1],
      ]);
      expect(s.versions[0]?.confusion[7]?.[1]).toBe(1);
      expect(s.prequential).toEqual([expect.objectContaining({ from: 0, answers: 3, correct: 2 })]);
    });

    it('GET /api/admin/recent shows the newest answers per digit with their images, to the admin only', async () => {
      a = await store.open(dirs, { threshold: 3, adminToken: 'tok' });
      const items = [7, 7, 7, 2].map((label, i) =>
        makeItem({ label, createdAt: new Date(1_700_000_000_000 + i).toISOString() }, 10 * (i + 1)),
      );
      expect((await postFeedback(a.app, { items })).status).toBe(200);
      expect((await a.app.request('/api/admin/recent')).status).toBe(401);
      const res = await a.app.request('/api/admin/recent?perDigit=2', {
        headers: { authorization: 'Bearer tok' },
      });
      const body = recentAnswersSchema.parse(await res.json());
      const sevens = body.digits[7]!.answers;
      expect(sevens.map((a) => a.id)).toEqual([items[2]!.id, items[1]!.id]);
      expect(decodePixels(sevens[0]!.pixels)[0]).toBe(30);
      expect(body.digits[2]!.answers).toHaveLength(1);
      const bad = await a.app.request('/api/admin/recent?perDigit=99', {
        headers: { authorization: 'Bearer tok' },
      });
      expect(bad.status).toBe(400);
    });
  });
