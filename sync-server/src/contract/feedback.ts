import { z } from 'zod';
import { isPixelPayload, PIXEL_COUNT } from './pixels';

/** Most items one `POST /api/feedback` may carry. */
export const MAX_BATCH_ITEMS = 100;
/** Largest accepted request body, in bytes. */
export const MAX_BODY_BYTES = 512 * 1024;

const digit = z.int().min(0).max(9);

/**
 * A UUID in its canonical lower case: an id in another case is the same id, so dedupe and the
 * holdout hash see one value. `toLowerCase()` is an overwrite, not a transform: the inferred
 * type stays `string` and JSON Schema can still describe it.
 */
export const canonicalUuidSchema = z.uuid().toLowerCase();

/** One answered prediction, as the browser sends it in `POST /api/feedback`. */
export const feedbackItemSchema = z.strictObject({
  id: canonicalUuidSchema,
  pixels: z.string().refine(isPixelPayload, {
    message: `pixels must be base64 of exactly ${PIXEL_COUNT} bytes`,
  }),
  label: digit,
  predicted: digit.nullable(),
  confidence: z.number().min(0).max(1).nullable(),
  modelVersion: z.string().min(1).max(64).nullable(),
  createdAt: z.iso.datetime({ offset: true }),
  /** Anonymous id of the installation; optional: older clients and the original data have none. */
  clientId: canonicalUuidSchema.optional(),
});
export type FeedbackItem = z.infer<typeof feedbackItemSchema>;

/**
 * The envelope only: items are judged one by one with `feedbackItemSchema`, so one bad item
 * never sinks the batch.
 */
export const feedbackBatchSchema = z.strictObject({
  items: z.array(z.unknown()).min(1).max(MAX_BATCH_ITEMS),
});
export type FeedbackBatch = { items: FeedbackItem[] };

export const subsetProgressSchema = z.strictObject({
  index: z.int().min(0),
  count: z.int().min(0),
  threshold: z.int().min(1),
});
export type SubsetProgress = z.infer<typeof subsetProgressSchema>;

export const rejectedItemSchema = z.strictObject({
  index: z.int().min(0),
  id: z.string().optional(),
  reason: z.string(),
});
export type RejectedItem = z.infer<typeof rejectedItemSchema>;

/** The 200 answer, sent only once accepted items are durable. */
export const feedbackResponseSchema = z.strictObject({
  accepted: z.int().min(0),
  duplicates: z.int().min(0),
  rejected: z.array(rejectedItemSchema),
  subset: subsetProgressSchema,
});
export type FeedbackResponse = z.infer<typeof feedbackResponseSchema>;

/** Every 4xx/5xx body of the API. */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string().min(1),
    message: z.string().min(1),
    details: z.unknown().optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
