import { gunzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statsSchema } from '../src/contract';
import { makeApp, makeItem, postFeedback, tempDirs, V1, V2, type TestApp } from './helpers';

let dirs: ReturnType<typeof tempDirs>;
let t: TestApp;
beforeEach(async () => {
  dirs = tempDirs([V1, V2]);
  t = await makeApp(dirs, { threshold: 3 });
});
afterEach(async () => {
  await t.close();
  dirs.cleanup();
});

const stats = async () => statsSchema.parse(await (await t.app.request('/api/stats')).json());

describe('GET /api/stats', () => {
  it('scores stored answers per version and follows new answers', async () => {
    expect(await stats()).toEqual({ scored: 0, versions: [], prequential: [] });
    const items = [
      makeItem({ label: 7, predicted: 7, modelVersion: V1 }),
      makeItem({ label: 7, predicted: 1, modelVersion: V1 }),
      makeItem({ label: 2, predicted: 2, modelVersion: V2 }),
      makeItem({ label: 4, predicted: null, confidence: null, modelVersion: V2 }),
    ];
    expect((await postFeedback(t.app, { items })).status).toBe(200);
    const s = await stats();
    expect(s.scored).toBe(3);
    expect(s.versions.map((v) => [v.version, v.answers, v.correct])).toEqual([
      [V1, 2, 1],
      [V2, 1, 1],
    ]);
    expect(s.versions[0]?.confusion[7]?.[1]).toBe(1);
    expect(s.prequential).toEqual([expect.objectContaining({ from: 0, answers: 3, correct: 2 })]);
  });
});

describe('compression', () => {
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
