import type { SubsetProgress } from '../contract';
import type { StoredEntry, StoreItem, StoreResult, SubmitContext } from './feedback-store';
import type { WriteHealth } from './write-health';

export type { StoreItem, StoreResult, SubmitContext } from './feedback-store';

/**
 * What the routes and drivers need of a feedback store (`STORE`): the file store
 * (`FeedbackStore`, one process owns `new_data/`) and the PostgreSQL store (`PgFeedbackStore`,
 * many replicas share one database) both implement it.
 *
 * `submit` resolves only once its items are durable, and rejects with `StoreWriteError` when
 * the storage refuses (the route answers 503 + Retry-After) or `StoreClosedError` on shutdown.
 */
export interface FeedbackStorage {
  submit(items: StoreItem[], context?: SubmitContext): Promise<StoreResult>;
  /**
   * Every stored entry with its subset, for the review book, the statistics and the admin's
   * recent answers; the file store only.
   */
  storedEntries?(): Iterable<StoredEntry>;
  progress(): SubsetProgress;
  /** Items stored over all subsets, and subsets sealed. */
  totals(): { total: number; sealedSubsets: number };
  /** Readiness: whether writes work now. */
  writable(): Promise<WriteHealth>;
  /** Refuses new writes and waits for the queued ones. */
  close(): Promise<void>;
}
