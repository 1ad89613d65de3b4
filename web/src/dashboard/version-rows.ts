import type { Manifest, Metrics } from 'sync-server/contract';

/** One version as the dashboard shows it; accuracies in [0, 1] or null when not measured. */
export interface VersionRow {
  version: string;
  createdAt: string;
  parent: string | null;
  samples: number;
  subsets: number[];
  mnist: number;
  user: number | null;
  bytes: number;
  live: boolean;
}

// The trainer measures accuracy on held-out user feedback; the key name is its choice.
const USER_METRIC = /holdout|user|feedback/i;

/** The user-data accuracy among a version's metrics, whatever the trainer called it. */
export function userAccuracy(metrics: Metrics): number | null {
  for (const [key, value] of Object.entries(metrics)) {
    if (USER_METRIC.test(key) && typeof value === 'number') return value;
  }
  return null;
}

/** Manifest versions oldest first, ready for the table and the chart. */
export function versionRows(manifest: Manifest): VersionRow[] {
  return [...manifest.versions]
    .sort((a, b) => a.version.localeCompare(b.version))
    .map((v) => ({
      version: v.version,
      createdAt: v.createdAt,
      parent: v.parent,
      samples: v.trainedOn.samples,
      subsets: v.trainedOn.subsets,
      mnist: v.metrics.mnistTestAccuracy,
      user: userAccuracy(v.metrics),
      bytes: v.bytes,
      live: v.version === manifest.current,
    }));
}
