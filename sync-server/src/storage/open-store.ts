import type { ServerConfig } from '../config';
import type { Logger } from '../log';
import { fileInsights, type AnswerInsights } from '../stats/insights';
import { PgFeedbackStore } from '../storage-pg/pg-store';
import { FeedbackStore, type StoredEntry } from './feedback-store';
import { ReviewBook } from './review-book';
import { fileReviewDesk, type ReviewDesk } from './review-desk';
import { IngestScreen, type ScreenOptions } from './screen';
import type { FeedbackStorage } from './store';

/** What the server hands the store besides its config. */
export interface OpenStoreHooks {
  /** Reaches the retrain driver (see each store). */
  onSealed: (indices: number[]) => void;
  /** Quotas and flags at ingest (`CLIENT_QUOTA_PER_DAY`, `BURST_PER_HOUR`). */
  screen: ScreenOptions;
}

/** A store and the views of its answers. */
export interface OpenedStore {
  store: FeedbackStorage;
  review: ReviewDesk;
  insights: AnswerInsights;
}

/**
 * The store `STORE` names, with ingest screening, review and the answer views: the file
 * store keeps them in memory and `new_data/review.jsonl`, the PostgreSQL store in the
 * database (shared by every replica).
 */
export async function openStore(
  config: Pick<ServerConfig, 'store' | 'database' | 'dataDir' | 'threshold'>,
  log: Logger,
  { onSealed, screen }: OpenStoreHooks,
): Promise<OpenedStore> {
  const { dataDir, threshold } = config;
  if (config.store === 'postgres') {
    const store = await PgFeedbackStore.open({
      url: config.database.url ?? '',
      timeoutMs: config.database.timeoutMs,
      dataDir,
      threshold,
      log,
      onSealed,
      screen,
    });
    return { store, review: store.review, insights: store.insights };
  }
  // The review book indexes what the store scanned, and then what it stores: late binding.
  let onStored = (_: StoredEntry[]) => undefined as void;
  const store = await FeedbackStore.open({
    dataDir,
    threshold,
    log,
    onSealed,
    screen: new IngestScreen(screen),
    onStored: (added) => onStored(added),
  });
  const book = await ReviewBook.open({ dataDir, log, entries: store.storedEntries() });
  onStored = (added) => book.add(added);
  return {
    store,
    review: fileReviewDesk(book, dataDir),
    insights: fileInsights(store, dataDir),
  };
}
