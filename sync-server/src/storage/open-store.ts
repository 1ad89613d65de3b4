import type { ServerConfig } from '../config';
import type { Logger } from '../log';
import { PgFeedbackStore } from '../storage-pg/pg-store';
import { FeedbackStore } from './feedback-store';
import type { FeedbackStorage } from './store';

/** The store `STORE` names; `onSealed` reaches the retrain driver (see each store). */
export function openStore(
  config: Pick<ServerConfig, 'store' | 'database' | 'dataDir' | 'threshold'>,
  log: Logger,
  onSealed: (indices: number[]) => void,
): Promise<FeedbackStorage> {
  const { dataDir, threshold } = config;
  if (config.store === 'fs') return FeedbackStore.open({ dataDir, threshold, log, onSealed });
  return PgFeedbackStore.open({
    url: config.database.url ?? '',
    timeoutMs: config.database.timeoutMs,
    dataDir,
    threshold,
    log,
    onSealed,
  });
}
