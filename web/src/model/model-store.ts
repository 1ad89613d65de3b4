/** Cache Storage bucket for model files; versioned URLs never change, so cache-first is exact. */
export const MODEL_CACHE = 'digit-loop-models';
const KEPT_KEY = 'digit-loop:model-versions';
/** The version in use and the one before it stay cached (offline start, quick fallback). */
export const KEEP_VERSIONS = 2;

const VERSION_IN_URL = /\/models\/([^/]+)\//;

/**
 * A `fetch` for tfjs's loader: model files come from the cache when present, otherwise from the
 * network and are then stored, so the next offline start finds them.
 */
export async function cachedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  if (typeof caches === 'undefined') return fetch(request);
  const cache = await caches.open(MODEL_CACHE);
  const hit = await cache.match(request);
  if (hit) return hit;
  const res = await fetch(request);
  if (res.ok) await cache.put(request, res.clone());
  return res;
}

/** Versions kept for offline use, most recent first. */
export function keptVersions(storage: Storage = localStorage): string[] {
  try {
    const value: unknown = JSON.parse(storage.getItem(KEPT_KEY) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * Records `version` as the one in use and deletes cached files of every version beyond the
 * newest KEEP_VERSIONS, so the cache holds the live model and its predecessor.
 */
export async function keepVersion(version: string, storage: Storage = localStorage): Promise<void> {
  const kept = [version, ...keptVersions(storage).filter((v) => v !== version)].slice(
    0,
    KEEP_VERSIONS,
  );
  storage.setItem(KEPT_KEY, JSON.stringify(kept));
  if (typeof caches === 'undefined') return;
  const cache = await caches.open(MODEL_CACHE);
  for (const request of await cache.keys()) {
    const v = VERSION_IN_URL.exec(new URL(request.url).pathname)?.[1];
    if (v && !kept.includes(v)) await cache.delete(request);
  }
}
