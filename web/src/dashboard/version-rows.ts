import type { Manifest, Metrics } from 'sync-server/contract';
import { versionName, versionNumber } from '../model/version-name';

/**
 * One version as the dashboard shows it. Accuracies are in [0, 1] or null when not measured;
 * counts are never accuracies.
 */
export interface VersionRow {
  version: string;
  /** "v3 · 29 Nov" and "v3", for people; `version` is the raw id for details. */
  name: string;
  short: string;
  createdAt: string;
  parent: string | null;
  samples: number;
  subsets: number[];
  mnist: number;
  user: number | null;
  /** How many held-out user answers `user` was measured on; null when the trainer did not say. */
  userSamples: number | null;
  bytes: number;
  live: boolean;
}

// The trainer's key for accuracy on held-out user answers, and the count it was measured on.
const USER_ACCURACY = 'holdoutAccuracy';
const USER_SAMPLES = 'holdoutSamples';

/**
 * The user-data accuracy among a version's metrics: only a key that names an accuracy
 * (`holdoutSamples = 0` is a count, never 0 %), and null when measured on no answer at all.
 */
export function userAccuracy(metrics: Metrics): number | null {
  const value = metrics[USER_ACCURACY];
  if (typeof value !== 'number' || value < 0 || value > 1) return null;
  return metrics[USER_SAMPLES] === 0 ? null : value;
}

function userSamples(metrics: Metrics): number | null {
  const value = metrics[USER_SAMPLES];
  return typeof value === 'number' ? value : null;
}

/** Manifest versions oldest first, ready for the table and the chart. */
export function versionRows(manifest: Manifest): VersionRow[] {
  return [...manifest.versions]
    .sort((a, b) => a.version.localeCompare(b.version))
    .map((v) => ({
      version: v.version,
      name: versionName(manifest, v.version),
      short: versionNumber(manifest, v.version),
      createdAt: v.createdAt,
      parent: v.parent,
      samples: v.trainedOn.samples,
      subsets: v.trainedOn.subsets,
      mnist: v.metrics.mnistTestAccuracy,
      user: userAccuracy(v.metrics),
      userSamples: userSamples(v.metrics),
      bytes: v.bytes,
      live: v.version === manifest.current,
    }));
}

/** An accuracy as people read it; "—" where there is no measure. */
export function percent(value: number | null | undefined, digits = 2): string {
  return typeof value === 'number' && Number.isFinite(value)
    ? `${(value * 100).toFixed(digits)} %`
    : '—';
}
