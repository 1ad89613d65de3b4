import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FeedbackItem } from 'sync-server/contract';

export const OUTBOX_DB_NAME = 'digit-loop';
/** Bump with a new `oldVersion < N` step in `upgrade`; never edit a released step. */
export const OUTBOX_DB_VERSION = 2;

/** An answer waiting for the server; leaves the store only when acknowledged. */
export interface OutboxEntry {
  item: FeedbackItem;
  /** Milliseconds since epoch when queued; the sync order. */
  queuedAt: number;
}

/** An answer the server refused: kept, never retried, shown to the user. */
export interface RejectedEntry {
  item: FeedbackItem;
  reason: string;
  rejectedAt: number;
}

export interface MetaValues {
  lastSyncAt: number;
}

export interface OutboxSchema extends DBSchema {
  outbox: { key: string; value: OutboxEntry; indexes: { 'by-queued': number } };
  rejected: { key: string; value: RejectedEntry };
  meta: { key: keyof MetaValues; value: number };
}

export type OutboxDb = IDBPDatabase<OutboxSchema>;

/**
 * Opens (and migrates) the outbox database. Version 1 had only the outbox; version 2 added the
 * rejected and meta stores. Each step runs once per browser, in order, inside the upgrade
 * transaction, so a user coming from any older version ends at the latest.
 */
export function openOutboxDb(name = OUTBOX_DB_NAME): Promise<OutboxDb> {
  return openDB<OutboxSchema>(name, OUTBOX_DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        const outbox = db.createObjectStore('outbox', { keyPath: 'item.id' });
        outbox.createIndex('by-queued', 'queuedAt');
      }
      if (oldVersion < 2) {
        db.createObjectStore('rejected', { keyPath: 'item.id' });
        db.createObjectStore('meta');
      }
    },
  });
}
