import { z } from 'zod';

/** `new_data/review.jsonl`: review decisions on flagged items, one JSON line each, appended. */
export const REVIEW_FILE = 'review.jsonl';

/** One review decision on the feedback item `id`, by a reviewer `by`. */
export const reviewDecisionSchema = z.strictObject({
  id: z.uuid(),
  decision: z.enum(['accept', 'reject']),
  at: z.iso.datetime(),
  by: z.string().min(1),
});
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;
