import type { FeedbackItem } from 'sync-server/contract';
import type { OutboxDb } from './outbox-db';

/**
 * How long a new answer stays on the device before sync may take it: the undo window. An
 * answer undone inside it is deleted here and so never leaves the device (see `withdraw`).
 */
export const UNDO_WINDOW_MS = 5000;

export interface OutboxCounts {
  pending: number;
  rejected: number;
}

/** Queues an answer; queuing the same id twice keeps one entry (the id is the key). */
export async function enqueue(db: OutboxDb, item: FeedbackItem, now = Date.now()): Promise<void> {
  await db.put('outbox', { item, queuedAt: now });
}

/**
 * The oldest `limit` items that left their undo window by `now`, in queue order. Items queued
 * later than `now - UNDO_WINDOW_MS` are held back.
 */
export async function oldest(
  db: OutboxDb,
  limit: number,
  now = Date.now(),
): Promise<FeedbackItem[]> {
  const items: FeedbackItem[] = [];
  const eligible = IDBKeyRange.upperBound(now - UNDO_WINDOW_MS);
  let cursor = await db.transaction('outbox').store.index('by-queued').openCursor(eligible);
  while (cursor && items.length < limit) {
    items.push(cursor.value.item);
    cursor = await cursor.continue();
  }
  return items;
}

/** When the earliest held-back item becomes eligible for sync; null when none is held. */
export async function heldUntil(db: OutboxDb, now = Date.now()): Promise<number | null> {
  const held = IDBKeyRange.lowerBound(now - UNDO_WINDOW_MS, true);
  const cursor = await db.transaction('outbox').store.index('by-queued').openCursor(held);
  return cursor ? cursor.value.queuedAt + UNDO_WINDOW_MS : null;
}

/**
 * Undoes an answer: deletes it if it is still inside its undo window, in one transaction.
 * Invariant with `oldest`: sync reads an item only at or after `queuedAt + UNDO_WINDOW_MS`, and
 * this deletes only before that, so an undone item was never handed to sync. False when it was
 * too late (or the id is unknown).
 */
export async function withdraw(db: OutboxDb, id: string, now = Date.now()): Promise<boolean> {
  const tx = db.transaction('outbox', 'readwrite');
  const entry = await tx.store.get(id);
  const inWindow = entry !== undefined && now < entry.queuedAt + UNDO_WINDOW_MS;
  if (inWindow) await tx.store.delete(id);
  await tx.done;
  return inWindow;
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
