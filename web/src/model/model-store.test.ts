import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepVersion, keptVersions, MODEL_CACHE } from './model-store';
import { MemoryStorage } from './test-storage';

/** A CacheStorage holding one cache of URL keys, enough for the pruning logic. */
function fakeCaches(urls: string[]) {
  const keys = new Set(urls);
  const cache = {
    keys: async () => [...keys].map((u) => new Request(u)),
    delete: async (r: Request) => keys.delete(r.url),
  };
  const open = vi.fn(async (name: string) => {
    expect(name).toBe(MODEL_CACHE);
    return cache;
  });
  return { storage: { open } as unknown as CacheStorage, keys };
}

const url = (v: string, file: string) => `http://localhost/models/${v}/${file}`;

describe('model cache', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the version in use and the one before, newest first', async () => {
    const storage = new MemoryStorage();
    await keepVersion('a', storage);
    await keepVersion('b', storage);
    await keepVersion('b', storage);
    await keepVersion('c', storage);
    expect(keptVersions(storage)).toEqual(['c', 'b']);
  });

  it('deletes cached files of versions no longer kept', async () => {
    const { storage: cacheStorage, keys } = fakeCaches([]);
    vi.stubGlobal('caches', cacheStorage);
    const storage = new MemoryStorage();
    // As in the app: a version's files are cached by loading it, then it is kept.
    for (const v of ['a', 'b', 'c']) {
      keys.add(url(v, 'model.json'));
      keys.add(url(v, 'group1-shard1of1.bin'));
      await keepVersion(v, storage);
    }
    expect([...keys].filter((k) => k.includes('/a/'))).toEqual([]);
    expect([...keys].filter((k) => k.includes('/b/') || k.includes('/c/'))).toHaveLength(4);
  });
});
