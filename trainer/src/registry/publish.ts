import type * as tf from '@tensorflow/tfjs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MANIFEST_SCHEMA_VERSION,
  modelUrl,
  versionFromDate,
  type Champion,
  type GateThresholds,
  type HistoryEntry,
  type Manifest,
  type ManifestVersion,
  type Metrics,
  type TrainingInfo,
} from 'sync-server/contract';
import {
  fsyncDir,
  readManifest,
  saveModelFiles,
  withRetrainLock,
  writeManifest,
} from 'sync-server/registry';
import { planPrune, removeStrays, tempDirName } from './prune';

export interface PublishOptions {
  /** The `models/` folder (created when missing). */
  modelsDir: string;
  model: tf.LayersModel;
  /** The version this one was fine-tuned from; null for a base model. */
  parent: string | null;
  trainedOn: { subsets: number[]; samples: number };
  /** The new version's own metrics; `mnistTestAccuracy` is required. */
  metrics: Metrics;
  training: TrainingInfo;
  /** When the run that produced the model started (history `startedAt`). */
  startedAt: Date;
  /** Why it was published (history `reason`). */
  reason?: string;
  /** Numbers for the history entry (e.g. live vs candidate); defaults to `metrics`. */
  attemptMetrics?: Record<string, number | null>;
  /** The gate's thresholds, for the history entry. */
  thresholds?: GateThresholds;
  /**
   * Set when the new version becomes the champion, with its scores. Otherwise the champion
   * stays, except that a base model (no parent) drops it: a new lineage, whose first retrain
   * establishes its own.
   */
  champion?: Omit<Champion, 'version'>;
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * Publishes `model` as a new live version. Order, so that no reader ever sees a half model:
 * the files go into a temp folder and are fsynced, the folder is renamed to
 * `models/<version>/`, then `manifest.json` is replaced atomically with `current` = the new
 * version and a `published` history entry; last, versions beyond the live one plus
 * three others are dropped from the manifest and then from disk. Holds the lock throughout
 * (re-entrant, so a retrain run that already holds it can call this).
 */
export async function publishVersion(options: PublishOptions): Promise<ManifestVersion> {
  const { modelsDir } = options;
  await mkdir(modelsDir, { recursive: true });
  return withRetrainLock(modelsDir, async () => {
    const manifest = await readManifest(modelsDir);
    const now = options.now?.() ?? new Date();
    const version = await freshVersion(modelsDir, manifest, now);
    const temp = join(modelsDir, tempDirName(version));
    await mkdir(temp);
    let bytes: number;
    try {
      bytes = await saveModelFiles(options.model, temp);
      await fsyncDir(temp);
      await rename(temp, join(modelsDir, version));
    } catch (err) {
      await rm(temp, { recursive: true, force: true });
      throw err;
    }
    await fsyncDir(modelsDir);
    const entry = versionEntry(options, version, now, bytes);
    const history: HistoryEntry = {
      startedAt: options.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      outcome: 'published',
      version,
      parent: options.parent,
      metrics: options.attemptMetrics ?? options.metrics,
      trainedOn: options.trainedOn,
    };
    if (options.reason) history.reason = options.reason;
    if (options.thresholds) history.thresholds = options.thresholds;
    await commit(modelsDir, manifest, entry, history, championAfter(options, version, manifest));
    return entry;
  });
}

function versionEntry(
  options: PublishOptions,
  version: string,
  now: Date,
  bytes: number,
): ManifestVersion {
  return {
    version,
    modelUrl: modelUrl(version),
    createdAt: now.toISOString(),
    parent: options.parent,
    trainedOn: options.trainedOn,
    metrics: options.metrics,
    bytes,
    training: options.training,
  };
}

function championAfter(
  options: PublishOptions,
  version: string,
  previous: Manifest | null,
): Champion | undefined {
  if (options.champion) return { version, ...options.champion };
  return options.parent === null ? undefined : previous?.champion;
}

// Writes the manifest naming the new version, then prunes (manifest first, folders after).
async function commit(
  modelsDir: string,
  previous: Manifest | null,
  entry: ManifestVersion,
  history: HistoryEntry,
  champion: Champion | undefined,
): Promise<void> {
  const next: Manifest = {
    schemaVersion: MANIFEST_SCHEMA_VERSION,
    current: entry.version,
    versions: [...(previous?.versions ?? []), entry],
    history: previous?.history ?? [],
  };
  if (champion) next.champion = champion;
  const { kept } = planPrune(next);
  next.versions = kept;
  await writeManifest(modelsDir, next, history);
  await removeStrays(modelsDir, new Set(kept.map((v) => v.version)));
}

// The version name for `now`, moved past the newest existing version (a clock that stepped
// back must not make "newest" ambiguous) and past any folder already on disk.
async function freshVersion(
  modelsDir: string,
  manifest: Manifest | null,
  now: Date,
): Promise<string> {
  const newest = manifest?.versions
    .map((v) => v.version)
    .sort()
    .at(-1);
  let ms = Math.max(now.getTime(), newest ? dateFromVersion(newest).getTime() + 1 : 0);
  for (;;) {
    const version = versionFromDate(new Date(ms));
    const taken = await stat(join(modelsDir, version)).then(
      () => true,
      () => false,
    );
    if (!taken) return version;
    ms += 1;
  }
}

/** The instant a version name encodes (inverse of `versionFromDate`). */
export function dateFromVersion(version: string): Date {
  return new Date(version.replace(/T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/, 'T$1:$2:$3.$4Z'));
}
