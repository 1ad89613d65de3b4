import { readonly, ref } from 'vue';
import { encodePixels, type FeedbackItem } from 'sync-server/contract';
import { errorMessage, log } from '../log';
import { counts, enqueue, lastSyncAt } from './outbox';
import { openOutboxDb, type OutboxDb } from './outbox-db';
import { SYNC_TAG, SYNCED_MESSAGE, syncOutbox, type SyncReport } from './sync';
import { SyncScheduler } from './sync-scheduler';

/** One answered prediction, before it becomes a wire item. */
export interface Answer {
  pixels: Uint8Array;
  label: number;
  predicted: number | null;
  confidence: number | null;
  modelVersion: string | null;
}

const pending = ref(0);
const rejected = ref(0);
const lastSync = ref<number | null>(null);
const online = ref(typeof navigator === 'undefined' ? true : navigator.onLine);
const lastError = ref<string | null>(null);
let db: Promise<OutboxDb> | null = null;
const recordedListeners = new Set<(answer: Answer) => Promise<void>>();

const scheduler = new SyncScheduler({
  run: async () => syncOutbox(await outboxDb()),
  isOnline: () => navigator.onLine,
  onReport: (report) => void afterSync(report),
  onError: (error) => {
    lastError.value = errorMessage(error);
    log.warn('sync failed', error);
  },
});

function outboxDb(): Promise<OutboxDb> {
  db ??= openOutboxDb();
  return db;
}

async function refresh(): Promise<void> {
  const d = await outboxDb();
  const [c, at] = await Promise.all([counts(d), lastSyncAt(d)]);
  pending.value = c.pending;
  rejected.value = c.rejected;
  lastSync.value = at;
}

async function afterSync(report: SyncReport): Promise<void> {
  lastError.value = report.outcome === 'retry' ? report.message : null;
  await refresh();
}

/** Asks the service worker to sync even if this page closes first; a no-op without support. */
async function requestBackgroundSync(): Promise<void> {
  const registration = await navigator.serviceWorker?.getRegistration();
  const sync = (registration as { sync?: { register(tag: string): Promise<void> } } | undefined)
    ?.sync;
  await sync?.register(SYNC_TAG);
}

let started = false;
/** Opens the outbox, syncs once, and keeps syncing on `online` and service-worker news. */
function start(): void {
  if (started) return;
  started = true;
  addEventListener('online', () => {
    online.value = true;
    scheduler.now();
  });
  addEventListener('offline', () => (online.value = false));
  navigator.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
    if ((event.data as { type?: string } | null)?.type === SYNCED_MESSAGE) void refresh();
  });
  refresh()
    .then(() => scheduler.now())
    .catch((error) => {
      lastError.value = `The answer queue is unavailable: ${errorMessage(error)}`;
      log.error('outbox open failed', error);
    });
}

/** Records an answer in the outbox (durable before this resolves) and schedules a sync. */
async function record(answer: Answer): Promise<void> {
  const item: FeedbackItem = {
    id: crypto.randomUUID(),
    pixels: encodePixels(answer.pixels),
    label: answer.label,
    predicted: answer.predicted,
    confidence: answer.confidence,
    modelVersion: answer.modelVersion,
    createdAt: new Date().toISOString(),
  };
  await enqueue(await outboxDb(), item);
  // Awaited, so the next digit drawn after an answer already sees it; listeners never reject.
  await Promise.all([...recordedListeners].map((listener) => listener(answer)));
  await refresh();
  scheduler.soon();
  requestBackgroundSync().catch((error) => log.debug('background sync unavailable', error));
}

/** App-wide outbox state and the one way to record an answer. */
export function useFeedback() {
  return {
    pending: readonly(pending),
    rejected: readonly(rejected),
    lastSync: readonly(lastSync),
    online: readonly(online),
    lastError: readonly(lastError),
    start,
    record,
    /**
     * Calls `listener` with each answer once it is durable (the personal memory learns it);
     * `record` resolves after it, so the listener must handle its own errors.
     */
    onRecorded: (listener: (answer: Answer) => Promise<void>) =>
      void recordedListeners.add(listener),
    syncNow: () => scheduler.now(),
  };
}
