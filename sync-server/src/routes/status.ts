import { Hono } from 'hono';
import type { HistoryEntry, LastRun, RetrainOutcome, Status } from '../contract';
import type { ManifestStore } from '../models/manifest-store';
import type { RetrainDriver } from '../retrain/driver';
import type { ReviewDesk } from '../storage/review-desk';
import type { FeedbackStorage } from '../storage/store';

export interface StatusRouteDeps {
  store: FeedbackStorage;
  review: Pick<ReviewDesk, 'pending' | 'refresh'>;
  manifests: ManifestStore;
  driver: RetrainDriver;
}

/** `GET /api/status`. */
export function statusRoute({ store, review, manifests, driver }: StatusRouteDeps) {
  return new Hono().get('/', async (c) => {
    // What the trainer held back since the last look (one stat when nothing was).
    await review.refresh();
    const manifest = manifests.current()?.manifest ?? null;
    const retrain = driver.status();
    const body: Status = {
      currentVersion: manifest?.current ?? null,
      subset: store.progress(),
      // Before this process ran anything, the manifest's history tells the last attempt.
      retrain: { state: retrain.state, lastRun: retrain.lastRun ?? fromHistory(manifest?.history) },
      feedback: store.totals(),
      review: { pending: review.pending() },
    };
    c.header('Cache-Control', 'no-store');
    return c.json(body, 200);
  });
}

function fromHistory(history: HistoryEntry[] | undefined): LastRun | null {
  // A rollback is no retrain run: the last run is the newest other attempt.
  const last = history?.findLast(
    (h): h is HistoryEntry & { outcome: RetrainOutcome } => h.outcome !== 'rolled-back',
  );
  if (!last) return null;
  return {
    startedAt: last.startedAt,
    finishedAt: last.finishedAt,
    outcome: last.outcome,
    ...(last.version ? { version: last.version } : {}),
    ...(last.reason ? { reason: last.reason } : {}),
  };
}
