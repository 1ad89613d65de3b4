import type { FeedbackItem, SubsetProgress } from 'sync-server/contract';
import { openSentDb, type SentDb } from './sent-db';

/**
 * Which batch (subset) each of `accepted` new answers went into, in the order sent. The server
 * replies with the open subset after the write; the last `count` answers are in it, and each
 * `threshold` before those in the subset before (a batch may straddle a seal).
 */
export function subsetsOfBatch(accepted: number, subset: SubsetProgress): number[] {
  return Array.from({ length: accepted }, (_, j) => {
    const back = accepted - 1 - j;
    if (back < subset.count) return subset.index;
    return subset.index - 1 - Math.floor((back - subset.count) / Math.max(1, subset.threshold));
  });
}

let shared: Promise<SentDb> | null = null;

/**
 * Keeps the acknowledged answers of one batch. With duplicates among them the server's reply
 * cannot say which answer went where, so those answers keep no subset.
 */
export async function recordSent(
  acked: FeedbackItem[],
  subset: SubsetProgress | null,
  duplicates: number,
  db?: SentDb,
  now = Date.now(),
): Promise<void> {
  if (acked.length === 0) return;
  const d = db ?? (await (shared ??= openSentDb()));
  const subsets = subset && duplicates === 0 ? subsetsOfBatch(acked.length, subset) : [];
  const tx = d.transaction('sent', 'readwrite');
  // Must await every request and tx.done, or a failure would go unnoticed.
  await Promise.all([
    ...acked.map((item, i) => tx.store.put({ item, subset: subsets[i] ?? null, sentAt: now })),
    tx.done,
  ]);
}
