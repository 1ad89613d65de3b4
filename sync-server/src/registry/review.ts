import { join } from 'node:path';
import { REVIEW_FILE, reviewDecisionSchema, type ReviewDecision } from '../contract';
import { appendLineSynced } from './durable-fs';
import { readJsonLines } from './jsonl';

/**
 * Every review decision in `new_data/review.jsonl`, oldest first; [] when none was made. A
 * torn last line (a crash mid-append) is ignored. Later decisions on an id override earlier
 * ones, so readers should fold them with `latestDecisions`.
 */
export function readReviewDecisions(dataDir: string): Promise<ReviewDecision[]> {
  return readJsonLines(join(dataDir, REVIEW_FILE), reviewDecisionSchema);
}

/** Appends one decision, fsynced before resolving. Sealed subsets are never rewritten for it. */
export async function appendReviewDecision(
  dataDir: string,
  decision: ReviewDecision,
): Promise<void> {
  const valid = reviewDecisionSchema.parse(decision);
  await appendLineSynced(join(dataDir, REVIEW_FILE), JSON.stringify(valid));
}

/**
 * Appends many decisions in one write and one flush (10,000 decisions must not cost 10,000
 * fsyncs). The caller serializes appends, so lines of two calls never interleave.
 */
export async function appendReviewDecisions(
  dataDir: string,
  decisions: readonly ReviewDecision[],
): Promise<void> {
  if (decisions.length === 0) return;
  const lines = decisions.map((d) => JSON.stringify(reviewDecisionSchema.parse(d)));
  await appendLineSynced(join(dataDir, REVIEW_FILE), lines.join('\n'));
}

/** The decision in force per id (lower case, as ids are canonical): the last one appended. */
export function latestDecisions(decisions: readonly ReviewDecision[]): Map<string, ReviewDecision> {
  return new Map(decisions.map((d) => [d.id.toLowerCase(), d]));
}
