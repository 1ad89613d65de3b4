import type { ReviewDecision } from 'sync-server/contract';

/** What review lets through, and how many it held back and why. */
export interface ReviewScreen<T> {
  /** Unflagged and not rejected, or flagged and accepted: these may train and judge. */
  kept: T[];
  /** Flagged and not (yet) decided: they wait; a later accept lets them in. */
  pending: number;
  /** Rejected by a reviewer (one by one or in bulk by client): they never train. */
  rejected: number;
}

/**
 * Applies the review decisions in force (`latestDecisions` of `new_data/review.jsonl`, keyed
 * by lower-case id) to feedback samples. A rejection holds back any sample, flagged or not,
 * since a bulk reject of a client names every id of that client. A flagged sample passes only
 * once accepted. Samples keyed by file name (the original system's, no id) match no decision
 * and carry no flags, so they always pass.
 */
export function screenByReview<T extends { id: string; flags?: readonly string[] }>(
  samples: readonly T[],
  decisions: ReadonlyMap<string, Pick<ReviewDecision, 'decision'>>,
): ReviewScreen<T> {
  const screen: ReviewScreen<T> = { kept: [], pending: 0, rejected: 0 };
  for (const sample of samples) {
    const decision = decisions.get(sample.id.toLowerCase())?.decision;
    if (decision === 'reject') screen.rejected++;
    else if (decision === 'accept' || !sample.flags?.length) screen.kept.push(sample);
    else screen.pending++;
  }
  return screen;
}
