import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manifestSchema } from '../src/contract';
import type { ManifestRead } from '../src/models/manifest-store';
import { CANARY, makeApp, jsonOf, tempDirs, V1, V2, writeManifest, type TestApp } from './helpers';

let dirs: ReturnType<typeof tempDirs>;
let t: TestApp;
beforeEach(async () => {
  dirs = tempDirs();
  t = await makeApp(dirs);
});
afterEach(async () => {
  await t.close();
  dirs.cleanup();
});

// The store's next read with this outcome; never resolves (the test times out) if none comes.
const nextRead = (outcome: ManifestRead['outcome']) =>
  new Promise<ManifestRead>((resolve) => {
    const off = t.manifests.onRead((read) => {
      if (read.outcome !== outcome) return;
      off();
      resolve(read);
    });
  });

describe('GET /api/model/manifest', () => {
  it('serves the manifest with an ETag, no-cache, and 304 on a match', async () => {
    const res = await t.app.request('/api/model/manifest');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^".+"$/);
    expect(manifestSchema.parse(await jsonOf(res)).current).toBe(V1);
    for (const tag of [etag, `W/${etag}`, `"x", ${etag}`, '*']) {
      const again = await t.app.request('/api/model/manifest', {
        headers: { 'if-none-match': tag },
      });
      expect(again.status).toBe(304);
    }
    const other = await t.app.request('/api/model/manifest', {
      headers: { 'if-none-match': '"x"' },
    });
    expect(other.status).toBe(200);
  });

  it('serves a replaced manifest without a restart, and keeps the last good on a bad one', async () => {
    const before = (await t.app.request('/api/model/manifest')).headers.get('etag');
    // The trainer's way: write a temp file, rename it over the manifest.
    writeManifest(join(dirs.root, 'staging'), [V1, V2], V2);
    const loaded = nextRead('loaded');
    renameSync(join(dirs.root, 'staging', 'manifest.json'), join(dirs.models, 'manifest.json'));
    await loaded;
    expect((await jsonOf(t.app.request('/api/status'))).currentVersion).toBe(V2);
    const res = await t.app.request('/api/model/manifest');
    expect(res.headers.get('etag')).not.toBe(before);
    expect((await jsonOf(res)).current).toBe(V2);
    // Waits for the store to read the bad file: if it never did, this would time out.
    const rejected = nextRead('invalid');
    writeFileSync(join(dirs.models, 'manifest.json'), '{"schemaVersion": 1');
    expect(await rejected).toMatchObject({ reason: expect.stringMatching(/not JSON/) });
    expect((await jsonOf(t.app.request('/api/model/manifest'))).current).toBe(V2);
  });

  it('answers 404 with a JSON error when no model exists', async () => {
    const empty = tempDirs([]);
    const e = await makeApp(empty);
    const res = await e.app.request('/api/model/manifest');
    expect(res.status).toBe(404);
    expect((await jsonOf(res)).error.code).toBe('no_model');
    const status = await jsonOf(e.app.request('/api/status'));
    expect(status.currentVersion).toBeNull();
    await e.close();
    empty.cleanup();
  });
});

describe('GET /models/<version>/<file>', () => {
  it('serves model files immutable with their type', async () => {
    const res = await t.app.request(`/models/${V1}/model.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await jsonOf(res)).toEqual({ fake: V1 });
    const bin = await t.app.request(`/models/${V1}/group1-shard1of1.bin`);
    expect(bin.headers.get('content-type')).toBe('application/octet-stream');
    expect(new Uint8Array(await bin.arrayBuffer())).toHaveLength(16);
  });

  it('answers 404 for unknown versions and files', async () => {
    for (const p of [
      `/models/${V1}/nope.json`,
      '/models/2020/model.json',
      `/models/${V1}`,
      '/models/',
    ]) {
      expect((await t.app.request(p)).status).toBe(404);
    }
  });

  it('never serves a path outside models/, however it is encoded', async () => {
    mkdirSync(join(dirs.models, V2, 'sub'), { recursive: true });
    symlinkSync(join(dirs.root, 'canary.txt'), join(dirs.models, V2, 'link.json'));
    const v = V1;
    const probes = [
      '/models/../canary.txt',
      '/models/%2e%2e/canary.txt',
      '/models/..%2fcanary.txt',
      '/models/%2e%2e%2fcanary.txt',
      '/models/%252e%252e%252fcanary.txt',
      '/models/..%5ccanary.txt',
      '/models/..\\canary.txt',
      `/models/${v}/../../canary.txt`,
      `/models/${v}/..%2f..%2fcanary.txt`,
      `/models/${v}/%2e%2e%2f%2e%2e%2fcanary.txt`,
      '/models//../canary.txt',
      '/models/%2e%2e/%2e%2e/canary.txt',
      `/models/${v}/..%00/canary.txt`,
      `/models/${V2}/link.json`,
      '/models/manifest.json/../../canary.txt',
    ];
    for (const p of probes) {
      const res = await t.app.request(`http://localhost${p}`);
      expect(await res.text(), p).not.toContain(CANARY);
    }
  });
});
