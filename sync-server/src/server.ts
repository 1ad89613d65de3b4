import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import type { ServerConfig } from './config';
import { drainable } from './drain';
import type { Logger } from './log';
import { Metrics } from './metrics';
import { ManifestStore } from './models/manifest-store';
import { createNoneDriver, type RetrainDriver } from './retrain/driver';
import { startGithubDriver } from './retrain/github-setup';
import { createLocalDriver, trainerCommand } from './retrain/local-driver';
import { pendingSeals } from './retrain/pending-seals';
import { applyServerLimits } from './server-limits';
import { openStore } from './storage/open-store';
import type { FeedbackStorage } from './storage/store';
import type { ReviewDesk } from './storage/review-desk';

/** A running server and how to stop it. */
export interface RunningServer {
  port: number;
  /** Stops accepting, answers or cuts every request received, flushes writes, then resolves. */
  close(): Promise<void>;
}

/** Builds every part from the config and listens. */
export async function startServer(config: ServerConfig, log: Logger): Promise<RunningServer> {
  const metrics = new Metrics({ processMetrics: true });
  // The driver starts runs from store commits, the store exists only after its scan: the
  // late binding keeps that cycle out of the constructors.
  let driver: RetrainDriver = createNoneDriver();
  const { store, review, insights } = await openStore(config, log, {
    onSealed: (indices) => driver.onSealed(indices),
    screen: { quotaPerDay: config.clientQuotaPerDay, burstPerHour: config.burstPerHour },
  });
  const manifests = new ManifestStore({ modelsDir: config.modelsDir, log });
  await manifests.start();
  driver = await createDriver(config, log, metrics, manifests, store, review);
  const app = createApp({ ...config, store, review, insights, manifests, driver, metrics, log });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  const drain = drainable(server);
  applyServerLimits(server, config.limits);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  log.info('listening', { url: `http://${config.host}:${port}`, driver: driver.name });
  return {
    port,
    async close() {
      // Every request received is answered (its writes included) or, past the deadline,
      // its connection cut; only then is the writer flushed and the driver stopped.
      const outcome = await drain({ deadlineMs: config.shutdownTimeoutMs });
      if (outcome === 'cut')
        log.warn('shutdown deadline passed: cut the connections still open', {
          deadlineMs: config.shutdownTimeoutMs,
        });
      await store.close();
      await driver.close();
      manifests.close();
    },
  };
}

function createDriver(
  config: ServerConfig,
  log: Logger,
  metrics: Metrics,
  manifests: ManifestStore,
  store: FeedbackStorage,
  review: ReviewDesk,
): RetrainDriver | Promise<RetrainDriver> {
  if (config.driver === 'none') return createNoneDriver();
  if (config.driver === 'github')
    return startGithubDriver(config, { log, metrics, manifests, store });
  return createLocalDriver({
    command: trainerCommand(config.dataDir, config.modelsDir),
    cwd: config.repoRoot,
    log,
    // With PostgreSQL the replica holding the retrain driver reports every unreported seal.
    pendingAtStart:
      config.store === 'postgres'
        ? []
        : pendingSeals(store.totals().sealedSubsets, manifests.current()?.manifest ?? null),
    onFinished: (run) => {
      metrics.retrainFinished(run);
      void manifests.reload();
      // The run may have held answers back for review (new_data/disputed.jsonl).
      void review.refresh();
    },
  });
}
