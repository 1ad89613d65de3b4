import { z } from 'zod';

/** Answers per point of the prequential curve: each answer tests the model before it learns. */
export const PREQUENTIAL_BLOCK = 100;

const count = z.int().min(0);
/** Ten counts, one per digit. */
const perDigit = z.array(count).length(10);

/** Users' answers to one model version: what it predicted against what people confirmed. */
export const versionStatsSchema = z.strictObject({
  /** The version that predicted (null: the answer did not say). */
  version: z.string().nullable(),
  answers: count,
  correct: count,
  /** `confusion[label][predicted]`: answers confirmed as `label` that it predicted as `predicted`. */
  confusion: z.array(perDigit).length(10),
});
export type VersionStats = z.infer<typeof versionStatsSchema>;

/** One point of users' accuracy over time: `PREQUENTIAL_BLOCK` answers in the order given. */
export const prequentialPointSchema = z.strictObject({
  /** Index of the block's first answer among all answers with a prediction. */
  from: count,
  answers: count,
  correct: count,
  /** When its last answer was given (ms since epoch). */
  until: count,
});
export type PrequentialPoint = z.infer<typeof prequentialPointSchema>;

/** `GET /api/stats`: computed from the stored answers' metadata, no pixels, no client ids. */
export const statsSchema = z.strictObject({
  /** Stored answers that carry the model's prediction (the others cannot be scored). */
  scored: count,
  versions: z.array(versionStatsSchema),
  prequential: z.array(prequentialPointSchema),
});
export type Stats = z.infer<typeof statsSchema>;

/** Most recent answers shown per digit by `GET /api/admin/recent`. */
export const RECENT_PER_DIGIT_MAX = 24;

export const recentAnswerSchema = z.strictObject({
  id: z.string().nullable(),
  /** base64 of the 784 stored bytes, as on the wire (ink = 255). */
  pixels: z.string(),
  predicted: z.int().min(0).max(9).nullable(),
  createdAt: count,
  flags: z.array(z.string()),
});
export type RecentAnswer = z.infer<typeof recentAnswerSchema>;

/** `GET /api/admin/recent`: the newest answers per confirmed digit, for a person to look at. */
export const recentAnswersSchema = z.strictObject({
  digits: z
    .array(z.strictObject({ label: z.int().min(0).max(9), answers: z.array(recentAnswerSchema) }))
    .length(10),
});
export type RecentAnswers = z.infer<typeof recentAnswersSchema>;
