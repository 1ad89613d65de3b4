import { manifestSchema, type Manifest } from 'sync-server/contract';
import { apiClient } from '../api/api-client';
const STORE_KEY = 'digit-loop:manifest';

export interface ManifestRead {
  manifest: Manifest;
  /** False when the network failed and this is the copy kept from an earlier visit. */
  fresh: boolean;
}

/** The server's manifest, checked against the contract; throws with the reason. */
export async function fetchManifest(fetchFn?: typeof fetch): Promise<Manifest> {
  const client = apiClient({ fetch: fetchFn });
  const res = await client.api.model.manifest.$get(undefined, { init: { cache: 'no-store' } });
  if (!res.ok) throw new Error(`model manifest: HTTP ${res.status}`);
  const parsed = manifestSchema.safeParse(await res.json());
  if (!parsed.success) throw new Error(`model manifest not understood: ${parsed.error.message}`);
  return parsed.data;
}

/**
 * Network first, kept copy second: a fresh manifest is stored for the next offline start.
 * Throws only when neither is available (offline on the very first visit).
 */
export async function readManifest(
  storage: Storage = localStorage,
  fetchFn?: typeof fetch,
): Promise<ManifestRead> {
  try {
    const manifest = await fetchManifest(fetchFn);
    storage.setItem(STORE_KEY, JSON.stringify(manifest));
    return { manifest, fresh: true };
  } catch (error) {
    const kept = keptManifest(storage);
    if (kept) return { manifest: kept, fresh: false };
    throw error;
  }
}

function keptManifest(storage: Storage): Manifest | null {
  try {
    const parsed = manifestSchema.safeParse(JSON.parse(storage.getItem(STORE_KEY) ?? 'null'));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
