import type { ServerConfig } from '../config';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { ManifestStore } from '../models/manifest-store';
import type { FeedbackStorage } from '../storage/store';
import { createGithubDriver, type GithubDriver } from './github-driver';

export interface GithubSetupDeps {
  log: Logger;
  metrics: Metrics;
  manifests: ManifestStore;
  store: FeedbackStorage;
}

/** The `github` driver wired to the server's parts, from the parsed config. */
export function startGithubDriver(
  config: ServerConfig,
  deps: GithubSetupDeps,
): Promise<GithubDriver> {
  const { apiUrl, repository, token, branch, remote, pullIntervalS } = config.github;
  // loadConfig refuses RETRAIN_DRIVER=github without these; this guards other callers.
  if (!repository || !token)
    throw new Error('RETRAIN_DRIVER=github needs GITHUB_REPOSITORY and GITHUB_TOKEN');
  return createGithubDriver({
    dataDir: config.dataDir,
    modelsDir: config.modelsDir,
    remote,
    branch,
    api: { url: apiUrl, repository, token },
    pullIntervalMs: pullIntervalS * 1000,
    // Subsets below the open one are sealed; each delivery makes sure all are on the remote.
    sealedIndices: () => Array.from({ length: deps.store.totals().sealedSubsets }, (_, i) => i),
    manifest: () => deps.manifests.current()?.manifest ?? null,
    onModelsUpdated: () => deps.manifests.reload(),
    registry: deps.metrics.registry,
    log: deps.log,
  });
}
