import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

// Its own database, apart from the outbox: forgetting the handwriting clears it alone, and
// neither schema's migrations wait on the other's.
export const MEMORY_DB_NAME = 'digit-loop-memory';
/** Bump with a new `oldVersion < N` step in `upgrade`; never edit a released step. */
export const MEMORY_DB_VERSION = 1;
/** Answers kept on this device; the oldest goes first. */
export const MEMORY_CAP = 500;

/** One answer the user confirmed or corrected: the 28×28 digit as predicted, and its label. */
export interface MemoryEntry {
  pixels: Uint8Array;
  label: number;
  createdAt: number;
  /** The answer's id in the outbox, so undoing the answer takes it out of here too. */
  answerId?: string;
}

export interface MemorySchema extends DBSchema {
  // Auto-increment keys only grow, so key order is insertion order: oldest first.
  answers: { key: number; value: MemoryEntry };
}

export type MemoryDb = IDBPDatabase<MemorySchema>;

export function openMemoryDb(name = MEMORY_DB_NAME): Promise<MemoryDb> {
  return openDB<MemorySchema>(name, MEMORY_DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) db.createObjectStore('answers', { autoIncrement: true });
    },
  });
}

/**
 * Stores `entry` and drops the oldest beyond `cap`, in one transaction (the cap holds even if
 * the page closes midway). Resolves with the count of entries dropped.
 */
export async function addEntry(db: MemoryDb, entry: MemoryEntry, cap = MEMORY_CAP) {
  const tx = db.transaction('answers', 'readwrite');
  await tx.store.add(entry);
  let extra = (await tx.store.count()) - cap;
  const dropped = Math.max(0, extra);
  let cursor = extra > 0 ? await tx.store.openCursor() : null;
  while (cursor && extra > 0) {
    await cursor.delete();
    extra--;
    cursor = await cursor.continue();
  }
  // Must await both the requests and `tx.done`: the add is durable only once it commits.
  await tx.done;
  return dropped;
}

/**
 * Deletes the entry of answer `answerId`; false when there is none. Searches from the newest
 * end, where an answer still in its undo window is.
 */
export async function removeEntry(db: MemoryDb, answerId: string): Promise<boolean> {
  const tx = db.transaction('answers', 'readwrite');
  let cursor = await tx.store.openCursor(null, 'prev');
  while (cursor && cursor.value.answerId !== answerId) cursor = await cursor.continue();
  if (cursor) await cursor.delete();
  await tx.done;
  return cursor !== null;
}

/** Every remembered answer, oldest first. */
export function allEntries(db: MemoryDb): Promise<MemoryEntry[]> {
  return db.getAll('answers');
}

export function clearEntries(db: MemoryDb): Promise<void> {
  return db.clear('answers');
}
