import type { Manifest } from 'sync-server/contract';
import { versionName } from './version-name';

/**
 * What to tell people about a newer live model, in plain words: its name and how many answers
 * it learned from (the samples of its retrain; nothing when it learned from none).
 */
export function updateText(manifest: Manifest | null, newer: string): string {
  const entry = manifest?.versions.find((v) => v.version === newer);
  if (!manifest || !entry) return 'A newer model is ready.';
  const name = versionName(manifest, newer);
  const learned = entry.trainedOn.subsets.length > 0 ? entry.trainedOn.samples : 0;
  if (learned === 0) return `A newer model is ready (${name}).`;
  const answers = learned === 1 ? '1 more answer' : `${learned} more answers`;
  return `A newer model is ready (learned from ${answers}).`;
}
