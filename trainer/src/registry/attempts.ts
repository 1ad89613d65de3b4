import type { GateThresholds, HistoryEntry } from 'sync-server/contract';
import { readManifest, withRetrainLock, writeManifest } from 'sync-server/registry';
import { log } from '../log';

export interface AttemptRecord {
  modelsDir: string;
  outcome: 'rejected' | 'failed';
  startedAt: Date;
  reason: string;
  parent?: string | null;
  metrics?: Record<string, number | null>;
  trainedOn?: { subsets: number[]; samples: number };
  thresholds?: GateThresholds;
}

/**
 * Appends a rejected or failed retrain attempt to the manifest history (published ones are
 * recorded by publishVersion). Returns false when there is no manifest to record into yet:
 * the contract's manifest needs at least one version.
 */
export async function recordAttempt(record: AttemptRecord): Promise<boolean> {
  return withRetrainLock(record.modelsDir, async () => {
    const manifest = await readManifest(record.modelsDir);
    if (!manifest) {
      log('warn', `no manifest in ${record.modelsDir}: ${record.outcome} attempt not recorded`);
      return false;
    }
    const entry: HistoryEntry = {
      startedAt: record.startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      outcome: record.outcome,
      reason: record.reason,
    };
    if (record.parent !== undefined) entry.parent = record.parent;
    if (record.metrics) entry.metrics = record.metrics;
    if (record.trainedOn) entry.trainedOn = record.trainedOn;
    if (record.thresholds) entry.thresholds = record.thresholds;
    await writeManifest(record.modelsDir, manifest, entry);
    return true;
  });
}
