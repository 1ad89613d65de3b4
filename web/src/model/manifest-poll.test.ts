import { describe, expect, it } from 'vitest';
import type { Manifest } from 'sync-server/contract';
import { latestManifest, manifestPoller } from './manifest-poll';

const V1 = '2026-11-26T12-00-00-000Z';
const manifest: Manifest = {
  schemaVersion: 1,
  current: V1,
  versions: [
    {
      version: V1,
      modelUrl: `/models/${V1}/model.json`,
      createdAt: '2026-11-26T12:00:00.000Z',
      parent: null,
      trainedOn: { subsets: [], samples: 0 },
      metrics: { mnistTestAccuracy: 0.99 },
      bytes: 1,
    },
  ],
  history: [],
};

describe('manifestPoller', () => {
  it('revalidates with the ETag it was given and reuses the manifest on a 304', async () => {
    const seen: (string | null)[] = [];
    const fetchFn = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const tag = new Headers(init?.headers).get('if-none-match');
      seen.push(tag);
      if (tag === '"abc"') return new Response(null, { status: 304 });
      return new Response(JSON.stringify(manifest), { headers: { etag: '"abc"' } });
    }) as typeof fetch;
    const poll = manifestPoller(fetchFn);
    expect((await poll()).current).toBe(V1);
    expect((await poll()).current).toBe(V1);
    expect(seen).toEqual([null, '"abc"']);
    expect(latestManifest.value?.current).toBe(V1);
  });

  it('throws on a server error, so the watch tries again later', async () => {
    const fetchFn = (async () => new Response('{}', { status: 503 })) as unknown as typeof fetch;
    await expect(manifestPoller(fetchFn)()).rejects.toThrow(/503/);
  });
});
