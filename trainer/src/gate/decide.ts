/** Thresholds of the gate, in accuracy points (0.2 = 0.2 percentage points). */
export interface GateThresholds {
  /** How far the candidate's MNIST test accuracy may fall below the live model's. */
  maxMnistDrop: number;
  /** How far its holdout accuracy may fall below the live model's (0: must not fall). */
  maxHoldoutDrop: number;
}

export const DEFAULT_THRESHOLDS: GateThresholds = { maxMnistDrop: 0.2, maxHoldoutDrop: 0 };

/** Accuracies in [0, 1]; `holdout` is null when the holdout has no samples. */
export interface Scores {
  mnist: number;
  holdout: number | null;
}

export interface GateDecision {
  publish: boolean;
  /** One sentence with the numbers that decided it. */
  reason: string;
}

// Accuracies are ratios of counts; this absorbs float noise so equal counts compare equal.
const EPSILON_POINTS = 1e-9;

/**
 * Publish only if the candidate's MNIST test accuracy is at most `maxMnistDrop` points below
 * the live model's and, when the holdout has samples, its holdout accuracy is at most
 * `maxHoldoutDrop` points below the live model's. A non-finite score rejects.
 */
export function decide(
  live: Scores,
  candidate: Scores,
  thresholds: GateThresholds = DEFAULT_THRESHOLDS,
): GateDecision {
  if (!Number.isFinite(candidate.mnist) || !Number.isFinite(live.mnist)) {
    return { publish: false, reason: 'MNIST test accuracy could not be measured' };
  }
  const mnistDrop = points(live.mnist - candidate.mnist);
  const mnistText = `MNIST test ${pct(live.mnist)} → ${pct(candidate.mnist)}`;
  if (mnistDrop > thresholds.maxMnistDrop + EPSILON_POINTS) {
    return {
      publish: false,
      reason: `${mnistText} fell ${mnistDrop.toFixed(2)} points, more than the ${thresholds.maxMnistDrop} allowed`,
    };
  }
  if (live.holdout === null || candidate.holdout === null) {
    return { publish: true, reason: `${mnistText}; holdout empty, not judged` };
  }
  const holdoutDrop = points(live.holdout - candidate.holdout);
  const holdoutText = `holdout ${pct(live.holdout)} → ${pct(candidate.holdout)}`;
  if (holdoutDrop > thresholds.maxHoldoutDrop + EPSILON_POINTS) {
    return {
      publish: false,
      reason: `${holdoutText} fell ${holdoutDrop.toFixed(2)} points, more than the ${thresholds.maxHoldoutDrop} allowed (${mnistText})`,
    };
  }
  return { publish: true, reason: `${mnistText}; ${holdoutText}` };
}

const points = (ratioDiff: number) => ratioDiff * 100;
const pct = (ratio: number) => `${(ratio * 100).toFixed(2)}%`;
