import type { FeedbackItem, SubsetProgress } from 'sync-server/contract';
import { recordSent } from '../answers/record-sent';
import { heldUntil, oldest, settle } from './outbox';
import type { OutboxDb } from './outbox-db';
import { postBatch, type PostResult } from './post-batch';

/** Most items per request; the server takes up to 100, we stay well under. */
export const SYNC_BATCH_SIZE = 50;
// Bounds one run so a server that keeps answering cannot pin the loop.
const MAX_BATCHES_PER_RUN = 200;
const LOCK_NAME = 'digit-loop-feedback-sync';
/** Background Sync tag the page registers and the service worker answers. */
export const SYNC_TAG = 'feedback-sync';
/** Message the service worker posts to pages after it synced. */
export const SYNCED_MESSAGE = 'digit-loop:outbox-synced';

export interface SyncOptions {
  post?: (items: FeedbackItem[]) => Promise<PostResult>;
  batchSize?: number;
  /** The clock that decides which answers left their undo window; injectable for tests. */
  now?: () => number;
  /** Keeps acknowledged answers for "Your answers"; `recordSent` by default. */
  onAcked?: (
    acked: FeedbackItem[],
    subset: SubsetProgress | null,
    duplicates: number,
  ) => Promise<void>;
}

export type SyncReport =
  | {
      outcome: 'done';
      acked: number;
      refused: number;
      /** When the earliest answer still in its undo window may be sent; null if none waits. */
      heldUntil?: number | null;
    }
  | {
      outcome: 'retry';
      acked: number;
      refused: number;
      message: string;
      retryAfterMs: number | null;
    };

/**
 * Sends the outbox in batches until it is empty or the server is out of reach. An item leaves
 * the outbox only when the server acknowledged it (accepted or duplicate); items it rejects are
 * set aside with the reason. Page and service worker share one Web Lock so runs never overlap.
 */
export async function syncOutbox(db: OutboxDb, options: SyncOptions = {}): Promise<SyncReport> {
  const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
  if (!locks) return runSync(db, options);
  return locks.request(LOCK_NAME, () => runSync(db, options));
}

async function runSync(db: OutboxDb, options: SyncOptions): Promise<SyncReport> {
  const post = options.post ?? ((items) => postBatch(items));
  const size = Math.min(options.batchSize ?? SYNC_BATCH_SIZE, SYNC_BATCH_SIZE);
  const now = options.now ?? Date.now;
  let acked = 0;
  let refused = 0;
  for (let i = 0; i < MAX_BATCHES_PER_RUN; i++) {
    const batch = await oldest(db, size, now());
    if (batch.length === 0) break;
    const result = await post(batch);
    if (result.kind === 'retry') return { outcome: 'retry', acked, refused, ...result };
    const verdict = judge(batch, result);
    if (!verdict) {
      const message = 'server answer does not match the batch';
      return { outcome: 'retry', acked, refused, message, retryAfterMs: null };
    }
    await settle(db, verdict.acked, verdict.refused);
    await keepSent(options, batch, verdict.acked, result);
    acked += verdict.acked.length;
    refused += verdict.refused.length;
  }
  return { outcome: 'done', acked, refused, heldUntil: await heldUntil(db, now()) };
}

// The outbox is settled either way: a failed record only leaves the answer out of the list.
async function keepSent(
  options: SyncOptions,
  batch: FeedbackItem[],
  ackedIds: string[],
  result: Exclude<PostResult, { kind: 'retry' }>,
): Promise<void> {
  const ids = new Set(ackedIds);
  const acked = batch.filter((item) => ids.has(item.id));
  const answered = result.kind === 'answered' ? result.response : null;
  await (options.onAcked ?? recordSent)(
    acked,
    answered?.subset ?? null,
    answered?.duplicates ?? 0,
  ).catch(() => undefined);
}

/** Splits a batch by the server's verdict; null when the counts do not add up. */
function judge(batch: FeedbackItem[], result: Exclude<PostResult, { kind: 'retry' }>) {
  if (result.kind === 'refused') {
    return { acked: [], refused: batch.map((item) => ({ item, reason: result.message })) };
  }
  const { accepted, duplicates, rejected } = result.response;
  if (accepted + duplicates + rejected.length !== batch.length) return null;
  const reasons = new Map<number, string>();
  for (const r of rejected) {
    if (r.index < 0 || r.index >= batch.length) return null;
    reasons.set(r.index, r.reason);
  }
  const refused = [...reasons].map(([index, reason]) => ({ item: batch[index]!, reason }));
  const acked = batch.filter((_, index) => !reasons.has(index)).map((item) => item.id);
  return { acked, refused };
}
