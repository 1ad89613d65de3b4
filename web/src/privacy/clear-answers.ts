import { openSentDb, type SentDb } from '../answers/sent-db';
import { openOutboxDb, type OutboxDb } from '../feedback/outbox-db';

/**
 * Deletes every answer kept on this device: waiting ones (they will never be sent), refused
 * ones, the last-sync time and the record of sent ones.
 */
export async function clearLocalAnswers(outbox?: OutboxDb, sent?: SentDb): Promise<void> {
  const [o, s] = await Promise.all([outbox ?? openOutboxDb(), sent ?? openSentDb()]);
  const tx = o.transaction(['outbox', 'rejected', 'meta'], 'readwrite');
  // Must await every request and tx.done, or a failure would go unnoticed.
  await Promise.all([
    tx.objectStore('outbox').clear(),
    tx.objectStore('rejected').clear(),
    tx.objectStore('meta').clear(),
    tx.done,
  ]);
  await s.clear('sent');
}
