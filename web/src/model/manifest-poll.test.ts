import { describe, expect, it } from 'vitest';
import { latestManifest, manifestPoller } from './manifest-poll';
import { testManifest } from './test-storage';

const V1 = '2026-11-26T12-00-00-000Z';
const manifest = testManifest(V1);

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
