import { setTimeout as sleep } from 'node:timers/promises';
import type { Registry } from 'prom-client';
import type { Manifest } from '../contract';
import type { Logger } from '../log';
import { CoalescingRunner, type RunResult } from './coalescing-runner';
import type { RetrainDriver, RetrainStatus } from './driver';
import { Git } from './git';
import { DispatchError, dispatchWorkflow } from './github-api';
import { GithubMetrics } from './github-metrics';
import { Puller, type PullResult } from './puller';
import { pushSealedSubsets } from './subset-push';
import { locateWorkTree, type WorkTree } from './work-tree';

export interface RetryOptions {
  /** Tries per delivery, the first included. */
  attempts: number;
  /** Wait before the 2nd try; doubles each time up to `maxMs`. */
  baseMs: number;
  maxMs: number;
}

export interface GithubDriverOptions {
  /** Absolute `new_data/` and `models/`; both inside one git work tree. */
  dataDir: string;
  modelsDir: string;
  /** The git remote to push to and pull from, and its branch. */
  remote: string;
  branch: string;
  api: { url: string; repository: string; token: string };
  /** Between pulls; 0 = only `pullNow()`. */
  pullIntervalMs: number;
  /** Every sealed subset's index (the store's view); all of them must reach the remote. */
  sealedIndices: () => number[];
  /** The manifest being served: its newest history entry tells when a dispatched run landed. */
  manifest: () => Manifest | null;
  /** After a pull changed `models/`. */
  onModelsUpdated?: () => void | Promise<void>;
  /** Where `/metrics` lives; the driver's counters join it. */
  registry?: Registry;
  log: Logger;
  retry?: Partial<RetryOptions>;
  /** After a dispatch the state reads `running` until a new attempt lands, at most this long. */
  awaitRemoteMs?: number;
}

/** The `github` driver, plus what tests and the server drive directly. */
export interface GithubDriver extends RetrainDriver {
  /** Fetches and applies the remote's `models/` now. */
  pullNow(): Promise<PullResult>;
  /** Resolves when no delivery is running or queued. */
  idle(): Promise<void>;
}

const DEFAULT_RETRY: RetryOptions = { attempts: 5, baseMs: 2_000, maxMs: 60_000 };
// The workflow's 60 min job limit plus a queue wait and a pull or two: past that, the run
// failed or was skipped, and the state stops claiming it is running.
const DEFAULT_AWAIT_REMOTE_MS = 90 * 60 * 1000;

/**
 * `github`: on seal, commits the sealed subsets (only `new_data/`), pushes them and
 * dispatches `.github/workflows/retrain.yml`; a puller brings the published models back.
 * A delivery that fails is retried with backoff, then reported in the status and metrics
 * until the next seal or an admin retrain delivers everything still missing.
 */
export async function createGithubDriver(options: GithubDriverOptions): Promise<GithubDriver> {
  const log = options.log.child({ driver: 'github' });
  const tree = await locateWorkTree(options, log);
  const git = new Git({ cwd: tree.root, log });
  const metrics = options.registry ? new GithubMetrics(options.registry) : null;
  const puller = new Puller({
    git,
    log,
    remote: options.remote,
    branch: options.branch,
    modelsDir: options.modelsDir,
    modelsPath: tree.modelsPath,
    dataPath: tree.dataPath,
    intervalMs: options.pullIntervalMs,
    onUpdated: options.onModelsUpdated,
    onPulled: (r) => metrics?.pulled(r),
  });
  const delivery = new Delivery(options, tree, git, log, metrics);
  puller.start();
  log.info('github driver ready', {
    root: tree.root,
    remote: options.remote,
    branch: options.branch,
  });
  return {
    name: 'github',
    onSealed: (indices) => delivery.request(`sealed subset ${indices.join(', ')}`, indices),
    requestRun: (reason) => (delivery.request(reason, []), true),
    status: () => delivery.status(),
    pullNow: () => puller.pull(),
    idle: () => delivery.idle(),
    async close() {
      await Promise.all([puller.stop(), delivery.close()]);
    },
  };
}

/**
 * Delivers sealed subsets on a `CoalescingRunner`: one delivery at a time, and requests during
 * one coalesce into the next, which carries every subset they named. Only a failed delivery is
 * recorded as the last run; a dispatched one finishes in the workflow, which the manifest's
 * history reports.
 */
class Delivery {
  private readonly runner: CoalescingRunner;
  /** Subsets named by requests since the running delivery started, and the newest reason. */
  private next: { reason: string; subsets: Set<number> } | null = null;
  private dispatched: { at: number; attempt: string | null } | null = null;
  private readonly retry: RetryOptions;

  constructor(
    private readonly options: GithubDriverOptions,
    private readonly tree: WorkTree,
    private readonly git: Git,
    private readonly log: Logger,
    private readonly metrics: GithubMetrics | null,
  ) {
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.runner = new CoalescingRunner({ log, run: (signal) => this.deliver(signal) });
  }

  request(reason: string, subsets: number[]): void {
    const named = new Set([...(this.next?.subsets ?? []), ...subsets]);
    this.next = { reason, subsets: named };
    this.runner.request(reason);
  }

  status(): RetrainStatus {
    const state = this.runner.state();
    const remote = state === 'idle' && this.awaitingRemote();
    return { state: remote ? 'running' : state, lastRun: this.runner.lastRun() };
  }

  idle(): Promise<void> {
    return this.runner.idle();
  }

  close(): Promise<void> {
    return this.runner.close();
  }

  private async deliver(signal: AbortSignal): Promise<RunResult | null> {
    const job = this.next;
    this.next = null;
    if (!job) return null;
    const subsets = [...job.subsets].sort((a, b) => a - b);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.attempt(job.reason, subsets);
        this.metrics?.delivery('ok');
        return null;
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err);
        const permanent = err instanceof DispatchError && !err.retryable;
        if (permanent || attempt >= this.retry.attempts || signal.aborted) {
          this.metrics?.delivery('failed');
          const tries = `${attempt} ${attempt === 1 ? 'try' : 'tries'}`;
          return { outcome: 'failed', reason: `not delivered to GitHub after ${tries}: ${reason}` };
        }
        this.metrics?.delivery('retry');
        const waitMs = Math.min(this.retry.maxMs, this.retry.baseMs * 2 ** (attempt - 1));
        this.log.warn('delivery failed; retrying', { attempt, waitMs, reason });
        // Shutdown cuts the wait short; the next try then sees the abort and gives up.
        await sleep(waitMs, undefined, { signal }).catch(() => undefined);
      }
    }
  }

  private async attempt(reason: string, subsets: number[]): Promise<void> {
    const pushed = await pushSealedSubsets({
      git: this.git,
      log: this.log,
      remote: this.options.remote,
      branch: this.options.branch,
      dataDir: this.options.dataDir,
      dataPath: this.tree.dataPath,
      modelsPath: this.tree.modelsPath,
      indices: this.options.sealedIndices(),
      identityArgs: this.tree.identityArgs,
    });
    if (pushed.commit) this.log.info('pushed sealed subsets', { ...pushed });
    const { url, repository, token } = this.options.api;
    await dispatchWorkflow({
      apiUrl: url,
      repository,
      token,
      ref: this.options.branch,
      reason,
      subset: subsets.join(','),
    });
    // A run with nothing new stops at its first step and records nothing: no wait for it.
    this.dispatched = pushed.untrained
      ? { at: Date.now(), attempt: latestAttempt(this.options.manifest()) }
      : null;
    this.log.info('retrain workflow dispatched', { reason, subsets });
  }

  // Dispatched and no newer attempt has landed in the manifest yet (the workflow is running).
  private awaitingRemote(): boolean {
    const d = this.dispatched;
    if (!d) return false;
    const waited = Date.now() - d.at;
    const landed = latestAttempt(this.options.manifest()) !== d.attempt;
    if (landed || waited > (this.options.awaitRemoteMs ?? DEFAULT_AWAIT_REMOTE_MS))
      this.dispatched = null;
    return this.dispatched !== null;
  }
}

function latestAttempt(manifest: Manifest | null): string | null {
  const last = manifest?.history.at(-1);
  return last ? `${last.startedAt} ${last.outcome} ${last.version ?? ''}` : null;
}
