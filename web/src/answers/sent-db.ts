import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { FeedbackItem } from 'sync-server/contract';

export const SENT_DB_NAME = 'digit-loop-answers';
/** Bump with a new `oldVersion < N` step in `upgrade`; never edit a released step. */
const SENT_DB_VERSION = 1;

/**
 * An answer the server acknowledged, kept on this device so "Your answers" can show it
 * offline. `subset` is the answer batch it went into (null when the server's reply could not
 * say, e.g. a resend the server already had).
 */
export interface SentEntry {
  item: FeedbackItem;
  subset: number | null;
  sentAt: number;
}

export interface SentSchema extends DBSchema {
  sent: { key: string; value: SentEntry };
}

export type SentDb = IDBPDatabase<SentSchema>;

/** Its own database, apart from the outbox, so neither schema waits on the other's upgrades. */
export function openSentDb(name = SENT_DB_NAME): Promise<SentDb> {
  return openDB<SentSchema>(name, SENT_DB_VERSION, {
    upgrade(db, oldVersion) {
      if (oldVersion < 1) db.createObjectStore('sent', { keyPath: 'item.id' });
    },
  });
}
