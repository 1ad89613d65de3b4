import { latestDecisions, readHeldBack, readReviewDecisions } from 'sync-server/registry';
import { capPerClient, type ClientCapOptions } from './caps';
import { screenByReview } from './review-filter';
import type { StoredAnswer } from './stored-answer';

/** How many samples screening held back, for the attempt's metrics. */
export interface ScreenCounts {
  /** Flagged samples no reviewer has accepted yet. */
  feedbackPendingReview: number;
  /** Samples a reviewer rejected. */
  feedbackRejected: number;
  /** Samples over their client's cap. */
  feedbackCapped: number;
  feedbackCappedClients: number;
  /** The cap of this retrain: most samples one client kept. */
  feedbackClientCap: number;
}

/**
 * The feedback that may train or judge a candidate: review first (rejected and unaccepted
 * flagged samples are out, held-back ones of earlier runs count as flagged), then per-client caps on what is left, so the share is one of the
 * usable feedback. It runs before the holdout split, so the held-back samples are in neither
 * part: a rejected or capped answer must not vouch for a candidate either.
 */
export async function screenFeedback<T extends StoredAnswer>(
  dataDir: string,
  samples: readonly T[],
  caps: ClientCapOptions,
): Promise<{ samples: T[]; counts: ScreenCounts; accepted: Set<string> }> {
  const decisions = latestDecisions(await readReviewDecisions(dataDir));
  const reviewed = screenByReview(await withHeldBackFlags(dataDir, samples), decisions);
  const capped = capPerClient(reviewed.kept, caps);
  const accepted = new Set(
    [...decisions].filter(([, d]) => d.decision === 'accept').map(([id]) => id),
  );
  return {
    samples: capped.kept,
    accepted,
    counts: {
      feedbackPendingReview: reviewed.pending,
      feedbackRejected: reviewed.rejected,
      feedbackCapped: capped.capped,
      feedbackCappedClients: capped.cappedClients,
      feedbackClientCap: capped.cap,
    },
  };
}

/**
 * The samples with the flags an earlier run gave them (`new_data/disputed.jsonl`): what the
 * review queue lists as pending waits here too, even when today's live model would let it
 * pass, until review decides.
 */
async function withHeldBackFlags<T extends StoredAnswer>(
  dataDir: string,
  samples: readonly T[],
): Promise<T[]> {
  const flags = new Map<string, string[]>();
  for (const { id, flag } of await readHeldBack(dataDir)) {
    const key = id.toLowerCase();
    flags.set(key, [...(flags.get(key) ?? []), flag]);
  }
  if (flags.size === 0) return [...samples];
  return samples.map((s) => {
    const extra = flags.get(s.id.toLowerCase());
    return extra ? { ...s, flags: [...(s.flags ?? []), ...extra] } : s;
  });
}
