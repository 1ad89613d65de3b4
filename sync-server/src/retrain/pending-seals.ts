import type { Manifest } from '../contract';

/**
 * Sealed subsets (`0 … sealedCount-1`) that the live model has not trained on, which a retrain
 * is owed for: a stop during a run, or a crash between a seal and its run, leaves them so.
 * Empty when there is no live model to fine-tune, or when the newest attempt on the live
 * model already tried exactly these subsets and did not fail (a rejected candidate is not
 * retried at every start). The trainer still makes the final call: asked when nothing is
 * new, it says so and publishes nothing.
 */
export function pendingSeals(sealedCount: number, manifest: Manifest | null): number[] {
  if (!manifest || sealedCount <= 0) return [];
  const live = manifest.versions.find((v) => v.version === manifest.current);
  const trained = new Set(live?.trainedOn.subsets ?? []);
  const sealed = Array.from({ length: sealedCount }, (_, i) => i);
  const pending = sealed.filter((i) => !trained.has(i));
  if (pending.length === 0) return [];
  const last = manifest.history.at(-1);
  const triedOnLive =
    last !== undefined &&
    last.outcome !== 'failed' &&
    last.parent === manifest.current &&
    last.trainedOn?.subsets.join() === sealed.join();
  return triedOnLive ? [] : pending;
}
