import { readonly, ref } from 'vue';
import { encodePixels, type FeedbackItem } from 'sync-server/contract';
import { errorMessage, log } from '../log';
import { clientId } from './client-id';
import { counts, enqueue, lastSyncAt, UNDO_WINDOW_MS, withdraw } from './outbox';
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
const recordedListeners = new Set<(answer: Answer, id: string) => Promise<void>>();
const undoneListeners = new Set<(id: string) => Promise<void>>();

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

/** A recorded answer: its id and until when `undo(id)` can still keep it on the device. */
export interface Recorded {
  id: string;
  undoUntil: number;
}

/**
 * Records an answer in the outbox (durable before this resolves) and schedules a sync. Sync
 * holds it back for the undo window; only then is Background Sync asked to take over, so a
 * closing page never hands an answer that can still be undone to the service worker early.
 */
async function record(answer: Answer): Promise<Recorded> {
  const item: FeedbackItem = {
    id: crypto.randomUUID(),
    pixels: encodePixels(answer.pixels),
    label: answer.label,
    predicted: answer.predicted,
    confidence: answer.confidence,
    modelVersion: answer.modelVersion,
    createdAt: new Date().toISOString(),
    clientId: await clientId(),
  };
  const queuedAt = Date.now();
  await enqueue(await outboxDb(), item, queuedAt);
  // Awaited, so the next digit drawn after an answer already sees it; listeners never reject.
  await Promise.all([...recordedListeners].map((listener) => listener(answer, item.id)));
  await refresh();
  scheduler.soon();
  setTimeout(() => {
    requestBackgroundSync().catch((error) => log.debug('background sync unavailable', error));
  }, UNDO_WINDOW_MS);
  return { id: item.id, undoUntil: queuedAt + UNDO_WINDOW_MS };
}

/** Takes an answer back while it is in its undo window; false when it was too late. */
async function undo(id: string): Promise<boolean> {
  const done = await withdraw(await outboxDb(), id);
  // An answer too late to undo stays: it is on its way, so the device keeps learning from it.
  if (done) await Promise.all([...undoneListeners].map((listener) => listener(id)));
  await refresh();
  return done;
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
     * Calls `listener` with each answer and its id once it is durable (the personal memory
     * learns it); `record` resolves after it, so the listener must handle its own errors.
     */
    onRecorded: (listener: (answer: Answer, id: string) => Promise<void>) =>
      void recordedListeners.add(listener),
    /** Calls `listener` with the id of each answer undone in time; like `onRecorded`'s. */
    onUndone: (listener: (id: string) => Promise<void>) => void undoneListeners.add(listener),
    undo,
    syncNow: () => scheduler.now(),
  };
}
