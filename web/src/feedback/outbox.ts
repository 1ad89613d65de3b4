import type { FeedbackItem } from 'sync-server/contract';
import type { OutboxDb } from './outbox-db';

export interface OutboxCounts {
  pending: number;
  rejected: number;
}

/** Queues an answer; queuing the same id twice keeps one entry (the id is the key). */
export async function enqueue(db: OutboxDb, item: FeedbackItem, now = Date.now()): Promise<void> {
  await db.put('outbox', { item, queuedAt: now });
}

/** The oldest `limit` queued items, in queue order. */
export async function oldest(db: OutboxDb, limit: number): Promise<FeedbackItem[]> {
  const items: FeedbackItem[] = [];
  let cursor = await db.transaction('outbox').store.index('by-queued').openCursor();
  while (cursor && items.length < limit) {
    items.push(cursor.value.item);
    cursor = await cursor.continue();
  }
  return items;
}

/**
 * Settles one answered batch in a single transaction: acknowledged ids leave the outbox, refused
 * ones move aside with their reason. Invariant: an item is in exactly one of the two stores.
 */
export async function settle(
  db: OutboxDb,
  acked: string[],
  refused: { item: FeedbackItem; reason: string }[],
  now = Date.now(),
): Promise<void> {
  const tx = db.transaction(['outbox', 'rejected', 'meta'], 'readwrite');
  const outbox = tx.objectStore('outbox');
  const rejected = tx.objectStore('rejected');
  // Must await every request and tx.done, or a failure would go unnoticed.
  await Promise.all([
    ...acked.map((id) => outbox.delete(id)),
    ...refused.flatMap(({ item, reason }) => [
      rejected.put({ item, reason, rejectedAt: now }),
      outbox.delete(item.id),
    ]),
    tx.objectStore('meta').put(now, 'lastSyncAt'),
    tx.done,
  ]);
}

export async function counts(db: OutboxDb): Promise<OutboxCounts> {
  const [pending, rejected] = await Promise.all([db.count('outbox'), db.count('rejected')]);
  return { pending, rejected };
}

export async function lastSyncAt(db: OutboxDb): Promise<number | null> {
  return (await db.get('meta', 'lastSyncAt')) ?? null;
}

/** The refused answers with their reasons, newest first. */
export async function rejectedEntries(db: OutboxDb) {
  const all = await db.getAll('rejected');
  return all.sort((a, b) => b.rejectedAt - a.rejectedAt);
}
