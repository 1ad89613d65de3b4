import { onBeforeUnmount, onMounted, ref, shallowRef } from 'vue';
import {
  statsSchema,
  statusSchema,
  type Manifest,
  type Stats,
  type Status,
} from 'sync-server/contract';
import { errorMessage } from '../log';
import { fetchManifest } from '../model/manifest';
import { apiClient } from '../api/api-client';

const POLL_MS = 5000;

async function fetchStatus(): Promise<Status> {
  const res = await apiClient().api.status.$get(undefined, { init: { cache: 'no-store' } });
  if (!res.ok) throw new Error(`status: HTTP ${res.status}`);
  const parsed = statusSchema.safeParse(await res.json());
  if (!parsed.success) throw new Error(`status not understood: ${parsed.error.message}`);
  return parsed.data;
}

// Older servers have no /api/stats: the rest of the dashboard still shows.
async function fetchStats(): Promise<Stats | null> {
  const res = await apiClient().api.stats.$get(undefined, { init: { cache: 'no-store' } });
  if (!res.ok) return null;
  const parsed = statsSchema.safeParse(await res.json());
  return parsed.success ? parsed.data : null;
}

/** Server status and manifest, refreshed every few seconds while the dashboard is open. */
export function useDashboard() {
  const status = shallowRef<Status | null>(null);
  const manifest = shallowRef<Manifest | null>(null);
  const stats = shallowRef<Stats | null>(null);
  const error = ref<string | null>(null);
  const updatedAt = ref<number | null>(null);
  let timer: ReturnType<typeof setInterval> | undefined;

  async function refresh(): Promise<void> {
    try {
      [status.value, manifest.value, stats.value] = await Promise.all([
        fetchStatus(),
        fetchManifest(),
        fetchStats().catch(() => stats.value),
      ]);
      error.value = null;
      updatedAt.value = Date.now();
    } catch (err) {
      error.value = navigator.onLine
        ? `Could not reach the server: ${errorMessage(err)}`
        : 'Offline: showing the last figures received.';
    }
  }

  onMounted(() => {
    void refresh();
    timer = setInterval(() => void refresh(), POLL_MS);
  });
  onBeforeUnmount(() => clearInterval(timer));
  return { status, manifest, stats, error, updatedAt, refresh };
}
