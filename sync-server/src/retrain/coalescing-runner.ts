import type { LastRun, RetrainOutcome, RetrainState } from '../contract';
import type { Logger } from '../log';
import type { FinishedRun } from './driver';

/** What one run ended with. */
export interface RunResult {
  outcome: RetrainOutcome;
  version?: string;
  reason?: string;
}

export interface CoalescingRunnerOptions {
  /**
   * One run; `signal` aborts it on shutdown. A throw counts as a failed run. `null` means the
   * work was handed on and finishes elsewhere (the github driver's dispatched workflow): no
   * run is recorded here, and `lastRun()` reads null so the status falls back to the manifest.
   */
  run: (signal: AbortSignal) => Promise<RunResult | null>;
  log: Logger;
  onFinished?: (run: FinishedRun) => void;
}

/**
 * Runs at most one job at a time. Requests during a run coalesce into one follow-up run,
 * so subsets sealed while training are all picked up next, and a failed run (logged) never
 * stops the next one. Shared by the drivers that retrain.
 */
export class CoalescingRunner {
  private running = false;
  private pending = false;
  private closed = false;
  private last: LastRun | null = null;
  private loop: Promise<void> | null = null;
  private readonly abort = new AbortController();

  constructor(private readonly options: CoalescingRunnerOptions) {}

  request(reason: string): void {
    if (this.closed) return;
    this.options.log.info('retrain requested', { reason, running: this.running });
    if (this.running) {
      this.pending = true;
      return;
    }
    this.running = true;
    this.loop = this.runAll().finally(() => {
      this.running = false;
      this.loop = null;
    });
  }

  /** `queued` while a run is going and another waits behind it. */
  state(): RetrainState {
    if (this.pending) return 'queued';
    return this.running ? 'running' : 'idle';
  }

  lastRun(): LastRun | null {
    return this.last;
  }

  /** Resolves when no run is going or queued. */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.pending = false;
    this.abort.abort();
    await this.idle();
  }

  private async runAll(): Promise<void> {
    do {
      this.pending = false;
      await this.runOnce();
    } while (this.pending && !this.closed);
  }

  private async runOnce(): Promise<void> {
    const started = Date.now();
    let result: RunResult | null;
    try {
      result = await this.options.run(this.abort.signal);
    } catch (err) {
      result = { outcome: 'failed', reason: err instanceof Error ? err.message : String(err) };
    }
    if (!result) {
      this.last = null;
      return;
    }
    const finished = Date.now();
    this.last = {
      startedAt: new Date(started).toISOString(),
      finishedAt: new Date(finished).toISOString(),
      outcome: result.outcome,
      ...(result.version ? { version: result.version } : {}),
      ...(result.reason ? { reason: result.reason } : {}),
    };
    const level = result.outcome === 'failed' ? 'error' : 'info';
    this.options.log[level]('retrain finished', { ...this.last, durationMs: finished - started });
    try {
      this.options.onFinished?.({ ...this.last, durationMs: finished - started });
    } catch (err) {
      this.options.log.error('retrain onFinished hook failed', { err });
    }
  }
}
