import type { RetrainOutcome } from 'sync-server/contract';
import type { GateThresholds } from '../../gate';
import type { SampleSet } from '../../train';

export interface RetrainOptions {
  dataDir: string;
  modelsDir: string;
  /** Samples that seal a subset. */
  threshold: number;
  epochs: number;
  learningRate: number;
  batchSize: number;
  /** MNIST training samples mixed in. */
  replay: number;
  feedbackShare: number;
  maxRepeat: number;
  seed: number;
  thresholds: GateThresholds;
  /** Train even when no sealed subset is new. */
  force: boolean;
  /**
   * Measure the live model on MNIST test again instead of using the accuracy its manifest
   * entry recorded when it was published (same test set, same weights: saves one full pass).
   */
  reevalLive: boolean;
  /** Worker threads scoring MNIST test beside this one; default one per further core. */
  evalWorkers?: number;
  signal?: AbortSignal;
  /** MNIST train/test sets to use instead of the official files (tests). */
  mnist?: () => { train: SampleSet; test: SampleSet };
  now?: () => Date;
}

/**
 * Defaults sized for the < 60 s target after one subset of 10 on a 2-core machine, and gentle
 * enough that the 99.51 % base keeps its MNIST accuracy (2 epochs at 3e-4 with 300 replay cost
 * it 1.4 points even after BatchNorm recalibration; 1 epoch at 1e-4 with 500 cost 0.06).
 */
export const RETRAIN_DEFAULTS = {
  epochs: 1,
  learningRate: 1e-4,
  batchSize: 32,
  replay: 500,
  feedbackShare: 0.3,
  maxRepeat: 10,
  seed: 1,
} as const;

export interface RetrainResult {
  outcome: RetrainOutcome;
  version?: string;
  reason: string;
  /** Everything measured; also what the manifest history records. */
  metrics: Record<string, number | null>;
  /** Wall time per phase, ms. */
  phasesMs: Record<string, number>;
  subsets: number[];
  backend?: string;
}
