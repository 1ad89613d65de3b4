import type { LastRun, RetrainState } from '../contract';
import type { RetrainDriverName } from '../config';

export interface RetrainStatus {
  state: RetrainState;
  lastRun: LastRun | null;
}

/**
 * What the server asks of a retrain driver (`RETRAIN_DRIVER`). A driver owns how a run
 * happens (child process, CI workflow, nothing); the server only reports seals and reads
 * the status. Methods other than `close` return at once and never throw.
 */
export interface RetrainDriver {
  readonly name: RetrainDriverName;
  /** Subsets were sealed and are durable on disk. */
  onSealed(indices: number[]): void;
  /** An admin asked for a run; false when this driver never runs one. */
  requestRun(reason: string): boolean;
  status(): RetrainStatus;
  /** No new runs; a running one is asked to stop. Resolves when it has. */
  close(): Promise<void>;
}

/** A finished run with its duration, for metrics and logs. */
export interface FinishedRun extends LastRun {
  durationMs: number;
}

/** `none`: collect only. */
export function createNoneDriver(): RetrainDriver {
  return {
    name: 'none',
    onSealed: () => undefined,
    requestRun: () => false,
    status: () => ({ state: 'idle', lastRun: null }),
    close: async () => undefined,
  };
}
