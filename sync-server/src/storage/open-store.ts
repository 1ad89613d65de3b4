import type { ServerConfig } from '../config';
import type { Logger } from '../log';
import { PgFeedbackStore } from '../storage-pg/pg-store';
import { FeedbackStore, type FeedbackStoreOptions } from './feedback-store';
import type { FeedbackStorage } from './store';

/** What the server hands the store besides its config. */
export type OpenStoreHooks = Pick<FeedbackStoreOptions, 'onSealed' | 'screen' | 'onStored'> & {
  onSealed: (indices: number[]) => void;
};

/**
 * The store `STORE` names; `onSealed` reaches the retrain driver (see each store). Ingest
 * screening (quotas, flags) and the review book's feed run on the file store only: the
 * PostgreSQL store stores every valid item unflagged (a documented gap).
 */
export function openStore(
  config: Pick<ServerConfig, 'store' | 'database' | 'dataDir' | 'threshold'>,
  log: Logger,
  hooks: OpenStoreHooks,
): Promise<FeedbackStorage> {
  const { dataDir, threshold } = config;
  const { onSealed } = hooks;
  if (config.store === 'fs') return FeedbackStore.open({ dataDir, threshold, log, ...hooks });
  return PgFeedbackStore.open({
    url: config.database.url ?? '',
    timeoutMs: config.database.timeoutMs,
    dataDir,
    threshold,
    log,
    onSealed,
  });
}
