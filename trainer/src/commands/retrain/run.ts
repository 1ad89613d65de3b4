import type { RetrainResult } from './options';

/** What one attempt measured so far: metrics, phase timings, the subsets it used. */
export class Run {
  readonly metrics: Record<string, number | null> = {};
  readonly phasesMs: Record<string, number> = {};
  subsets: number[] = [];
  backend: string | undefined;

  constructor(readonly startedAt: Date) {}

  /** Runs `fn`, recording its wall time under `name`. */
  async time<T>(name: string, fn: () => T | Promise<T>): Promise<T> {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.phasesMs[name] = Math.round(performance.now() - start);
    }
  }

  /**
   * The metrics with the attempt's duration so far, for the manifest history. A value that is
   * not a finite number (the loss of a run stopped before its first batch) becomes null: the
   * contract's history holds numbers or null.
   */
  snapshot(): Record<string, number | null> {
    this.metrics.durationMs = Date.now() - this.startedAt.getTime();
    return Object.fromEntries(
      Object.entries(this.metrics).map(([k, v]) => [k, Number.isFinite(v) ? v : null]),
    );
  }

  result(outcome: RetrainResult['outcome'], reason: string, version?: string): RetrainResult {
    const result: RetrainResult = {
      outcome,
      reason,
      metrics: this.snapshot(),
      phasesMs: this.phasesMs,
      subsets: this.subsets,
    };
    if (version) result.version = version;
    if (this.backend) result.backend = this.backend;
    return result;
  }
}
