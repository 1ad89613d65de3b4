import { z } from 'zod';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_SCHEMA_VERSION = 1;
/** `models/history.jsonl`: every attempt, one JSON line each, appended and never rewritten. */
export const HISTORY_FILE = 'history.jsonl';
/**
 * Attempts kept in `manifest.json`'s history, which every client downloads; older ones live on
 * in HISTORY_FILE.
 */
export const MANIFEST_HISTORY_LIMIT = 50;

// e.g. 2026-11-26T12-00-00-000Z: an ISO instant with ':' and '.' made URL-safe; sorts by time.
const VERSION = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;
export const versionSchema = z
  .string()
  .regex(VERSION, 'version must look like 2026-11-26T12-00-00-000Z');

/** The version name for a model published at `date`. */
export function versionFromDate(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** `models/<version>/model.json`, as the manifest and the server name it. */
export function modelUrl(version: string): string {
  return `/models/${version}/model.json`;
}

/** Accuracies in [0, 1]; `mnistTestAccuracy` is always measured, others when data exists. */
export const metricsSchema = z
  .object({ mnistTestAccuracy: z.number().min(0).max(1) })
  .catchall(z.number().nullable());
export type Metrics = z.infer<typeof metricsSchema>;

export const trainingInfoSchema = z.object({
  kind: z.enum(['base', 'retrain']),
  epochs: z.int().min(0),
  seed: z.int(),
  backend: z.string(),
  durationMs: z.number().min(0),
  batchSize: z.int().min(1).optional(),
  learningRate: z.number().optional(),
});
export type TrainingInfo = z.infer<typeof trainingInfoSchema>;

export const manifestVersionSchema = z.strictObject({
  version: versionSchema,
  modelUrl: z.string().startsWith('/models/'),
  createdAt: z.iso.datetime(),
  parent: versionSchema.nullable(),
  trainedOn: z.strictObject({ subsets: z.array(z.int().min(0)), samples: z.int().min(0) }),
  metrics: metricsSchema,
  bytes: z.int().min(0),
  training: trainingInfoSchema.optional(),
});
export type ManifestVersion = z.infer<typeof manifestVersionSchema>;

export const retrainOutcomeSchema = z.enum(['published', 'rejected', 'failed']);
export type RetrainOutcome = z.infer<typeof retrainOutcomeSchema>;

/**
 * The gate's thresholds of one attempt, as its CLI flags set them: accuracy points (0.2 = 0.2
 * percentage points) for the MNIST test and per-digit floors, a significance level for the
 * paired holdout test.
 */
export const gateThresholdsSchema = z.strictObject({
  /** How far MNIST test accuracy may fall below the champion's. */
  maxMnistDrop: z.number(),
  /** How far any digit's MNIST test recall may fall below the champion's. */
  maxDigitDrop: z.number(),
  /** Reject when the holdout's one-sided exact test gives p ≤ this (0: never). */
  holdoutAlpha: z.number().min(0).max(1),
});
export type GateThresholds = z.infer<typeof gateThresholdsSchema>;

/**
 * The reference every candidate is held against: a floor that does not move down with the
 * live model. `perDigitRecall[d]` is the recall of digit d on MNIST test (null only for a test
 * set without that digit).
 */
export const championSchema = z.strictObject({
  version: versionSchema,
  mnistTestAccuracy: z.number().min(0).max(1),
  perDigitRecall: z.array(z.number().min(0).max(1).nullable()).length(10),
});
export type Champion = z.infer<typeof championSchema>;

/** A history entry's outcome: a retrain's, or `rolled-back` (`version` became live again). */
export const historyOutcomeSchema = z.enum([...retrainOutcomeSchema.options, 'rolled-back']);
export type HistoryOutcome = z.infer<typeof historyOutcomeSchema>;

/** One attempt that changed or tried to change the live model: a retrain or a rollback. */
export const historyEntrySchema = z.strictObject({
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  outcome: historyOutcomeSchema,
  version: versionSchema.optional(),
  parent: versionSchema.nullable().optional(),
  reason: z.string().optional(),
  metrics: z.record(z.string(), z.number().nullable()).optional(),
  trainedOn: z
    .strictObject({ subsets: z.array(z.int().min(0)), samples: z.int().min(0) })
    .optional(),
  thresholds: gateThresholdsSchema.optional(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** `models/manifest.json`; `current` always names one of `versions`. */
export const manifestSchema = z
  .strictObject({
    schemaVersion: z.literal(MANIFEST_SCHEMA_VERSION),
    current: versionSchema,
    versions: z.array(manifestVersionSchema).min(1),
    history: z.array(historyEntrySchema),
    /** Absent until the first retrain measures the live model and establishes it. */
    champion: championSchema.optional(),
  })
  .refine((m) => m.versions.some((v) => v.version === m.current), {
    message: 'current must name one of versions',
    path: ['current'],
  });
export type Manifest = z.infer<typeof manifestSchema>;
