import { shallowRef } from 'vue';
import { manifestSchema, type Manifest } from 'sync-server/contract';
import { apiClient } from '../api/api-client';

/** How often an open page asks for the manifest: a new model is noticed within a minute. */
export const MANIFEST_POLL_MS = 30_000;

/** The newest manifest any poll saw; the update toast reads what the newer version learned. */
export const latestManifest = shallowRef<Manifest | null>(null);

/**
 * A manifest fetch that revalidates with `If-None-Match`: an unchanged manifest costs one 304
 * with no body, so polling every half minute stays cheap. Throws when out of reach.
 */
export function manifestPoller(fetchFn?: typeof fetch): () => Promise<Manifest> {
  let etag: string | null = null;
  let last: Manifest | null = null;
  return async () => {
    const client = apiClient({ fetch: fetchFn });
    // no-store: the browser's cache must not answer for the server; the ETag does it instead.
    const headers: Record<string, string> = etag && last ? { 'if-none-match': etag } : {};
    const res = await client.api.model.manifest.$get(undefined, {
      headers,
      init: { cache: 'no-store' },
    });
    if (res.status === 304 && last) return last;
    if (!res.ok) throw new Error(`model manifest: HTTP ${res.status}`);
    const parsed = manifestSchema.safeParse(await res.json());
    if (!parsed.success) throw new Error(`model manifest not understood: ${parsed.error.message}`);
    etag = res.headers.get('etag');
    last = parsed.data;
    latestManifest.value = parsed.data;
    return parsed.data;
  };
}
