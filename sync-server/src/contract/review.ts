import { z } from 'zod';
import { canonicalUuidSchema } from './feedback';

/** `new_data/review.jsonl`: review decisions on flagged items, one JSON line each, appended. */
export const REVIEW_FILE = 'review.jsonl';

export const reviewVerdictSchema = z.enum(['accept', 'reject']);
export type ReviewVerdict = z.infer<typeof reviewVerdictSchema>;

/** One review decision on the feedback item `id`, by a reviewer `by`. */
export const reviewDecisionSchema = z.strictObject({
  id: z.uuid(),
  decision: reviewVerdictSchema,
  at: z.iso.datetime(),
  by: z.string().min(1),
});
export type ReviewDecision = z.infer<typeof reviewDecisionSchema>;

/**
 * Why the server holds an answer for review (metadata `flags`); it trains only once accepted.
 * - `confident_disagreement`: the client's model gave ≥ 0.99 to another digit;
 * - `not_digit_like`: the server's own check of the 28×28 pixels (sync-server/README.md);
 * - `burst`: the client's answers beyond `BURST_PER_HOUR` in the last hour.
 */
export const FEEDBACK_FLAGS = ['confident_disagreement', 'not_digit_like', 'burst'] as const;
export type FeedbackFlag = (typeof FEEDBACK_FLAGS)[number];

/**
 * Why the trainer held an answer back (`new_data/disputed.jsonl`); like the flags above it
 * trains only once accepted, and the review queue lists it with this flag.
 * - `disputed`: the live model gives ≥ 0.99 to another digit than the label;
 * - `distrusted_client`: most of its client's answers are disputed, so all of them wait.
 */
export const HELD_BACK_FLAGS = ['disputed', 'distrusted_client'] as const;
export const heldBackFlagSchema = z.enum(HELD_BACK_FLAGS);
export type HeldBackFlag = z.infer<typeof heldBackFlagSchema>;

/**
 * `new_data/disputed.jsonl`: answers the trainer held back, one JSON line each, appended
 * (fsynced) by the trainer under the models lock and read by the server's review book. An id
 * is written once; sealed subsets stay immutable.
 */
export const DISPUTED_FILE = 'disputed.jsonl';

/** One held-back answer: its id, why, when, and the live model that disputed it. */
export const heldBackEntrySchema = z.strictObject({
  id: z.uuid(),
  flag: heldBackFlagSchema,
  at: z.iso.datetime(),
  model: z.string().min(1),
});
export type HeldBackEntry = z.infer<typeof heldBackEntrySchema>;

/** A rejection reason of `POST /api/feedback`: the client's answers today are used up. */
export const QUOTA_REASON = 'quota';

export const reviewStateSchema = z.enum(['pending', 'accepted', 'rejected']);
export type ReviewState = z.infer<typeof reviewStateSchema>;

/** Most ids one `POST /api/admin/review` may carry. */
export const MAX_REVIEW_IDS = 10_000;
/** Largest body `POST /api/admin/review` takes: 10,000 quoted UUIDs fit with room. */
export const MAX_REVIEW_BODY_BYTES = 512 * 1024;
/** Items one page of `GET /api/admin/review` holds at most. */
export const REVIEW_PAGE_SIZE = 100;

/** `GET /api/admin/review`'s query. `cursor` is the `next` of the page before. */
export const reviewListQuerySchema = z.strictObject({
  state: reviewStateSchema.default('pending'),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, 'cursor must be the `next` of an earlier page')
    .optional(),
});
export type ReviewListQuery = z.infer<typeof reviewListQuerySchema>;

/** One flagged (or decided) answer, as a reviewer sees it. */
export const reviewItemSchema = z.strictObject({
  id: z.uuid(),
  label: z.int().min(0).max(9),
  predicted: z.int().min(0).max(9).nullable(),
  confidence: z.number().min(0).max(1).nullable(),
  clientId: z.uuid().nullable(),
  flags: z.array(z.string().min(1)),
  createdAt: z.iso.datetime(),
  state: reviewStateSchema,
  /** The 28×28 PNG, behind the same admin token. */
  imageUrl: z.string().startsWith('/api/admin/review/'),
});
export type ReviewItem = z.infer<typeof reviewItemSchema>;

/** `GET /api/admin/review`'s 200: one page, oldest first; `next` is null on the last page. */
export const reviewPageSchema = z.strictObject({
  items: z.array(reviewItemSchema),
  next: z.string().nullable(),
  pending: z.int().min(0),
});
export type ReviewPage = z.infer<typeof reviewPageSchema>;

/** `POST /api/admin/review`: a decision on listed ids, or on everything one client sent. */
export const reviewRequestSchema = z.union([
  z.strictObject({
    ids: z.array(canonicalUuidSchema).min(1).max(MAX_REVIEW_IDS),
    decision: reviewVerdictSchema,
  }),
  z.strictObject({ clientId: canonicalUuidSchema, decision: reviewVerdictSchema }),
]);
export type ReviewRequest = z.infer<typeof reviewRequestSchema>;

/** `POST /api/admin/review`'s 200: decisions recorded (durable), and ids the server never stored. */
export const reviewResponseSchema = z.strictObject({
  decided: z.int().min(0),
  unknown: z.array(z.string()),
  pending: z.int().min(0),
});
export type ReviewResponse = z.infer<typeof reviewResponseSchema>;
