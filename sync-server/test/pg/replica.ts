import { join } from 'node:path';
import { createApp } from '../../src/app';
import { silentLogger, type Logger } from '../../src/log';
import { Metrics } from '../../src/metrics';
import { ManifestStore } from '../../src/models/manifest-store';
import { createNoneDriver, type RetrainDriver } from '../../src/retrain/driver';
import { PgFeedbackStore } from '../../src/storage-pg/pg-store';
import type { ScreenOptions } from '../../src/storage/screen';

export interface PgReplica {
  app: ReturnType<typeof createApp>;
  store: PgFeedbackStore;
  /** Every `onSealed` call the driver of this replica got. */
  seals: number[][];
  close(): Promise<void>;
}

/** One server replica in memory (own pool, own session) on the shared database. */
export async function startReplica(
  url: string,
  dirs: { data: string; models: string },
  options: {
    threshold?: number;
    timeoutMs?: number;
    log?: Logger;
    onSeal?: () => void;
    /** Screening at ingest; none by default. */
    screen?: ScreenOptions;
    adminToken?: string;
    /** The client address the app sees (quotas of items without a clientId). */
    clientKey?: () => string;
    adminAuditLog?: string;
  } = {},
): Promise<PgReplica> {
  const seals: number[][] = [];
  const driver: RetrainDriver = {
    ...createNoneDriver(),
    onSealed: (indices) => {
      seals.push(indices);
      options.onSeal?.();
    },
  };
  const store = await PgFeedbackStore.open({
    url,
    timeoutMs: options.timeoutMs ?? 5_000,
    threshold: options.threshold ?? 10,
    log: options.log ?? silentLogger,
    dataDir: dirs.data,
    onSealed: (i) => driver.onSealed(i),
    // Fast take-over and re-reads: the tests wait for them.
    tickMs: 100,
    ...(options.screen ? { screen: options.screen } : {}),
  });
  const manifests = new ManifestStore({ modelsDir: dirs.models, log: silentLogger, pollMs: 50 });
  await manifests.start();
  const app = createApp({
    review: store.review,
    insights: store.insights,
    log: silentLogger,
    webDist: join(dirs.models, 'no-web-build'),
    adminToken: options.adminToken ?? null,
    ...(options.clientKey ? { clientKey: options.clientKey } : {}),
    ...(options.adminAuditLog ? { adminAuditLog: options.adminAuditLog } : {}),
    rateLimitPerMin: 0,
    corsOrigins: [],
    driver,
    store,
    manifests,
    metrics: new Metrics(),
    modelsDir: dirs.models,
  });
  let closed: Promise<void> | null = null;
  return {
    app,
    store,
    seals,
    // Idempotent: a test that restarts a replica closes it, and its clean-up again.
    close: () =>
      (closed ??= (async () => {
        await store.close();
        manifests.close();
      })()),
  };
}
