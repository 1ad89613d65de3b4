import { z } from 'zod';
import { subsetProgressSchema } from './feedback';
import { retrainOutcomeSchema, versionSchema } from './manifest';

export const retrainStateSchema = z.enum(['idle', 'running', 'queued']);
export type RetrainState = z.infer<typeof retrainStateSchema>;

export const lastRunSchema = z.strictObject({
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  outcome: retrainOutcomeSchema,
  version: z.string().optional(),
  reason: z.string().optional(),
});
export type LastRun = z.infer<typeof lastRunSchema>;

/** `GET /api/status`. */
export const statusSchema = z.strictObject({
  currentVersion: z.string().nullable(),
  subset: subsetProgressSchema,
  retrain: z.strictObject({ state: retrainStateSchema, lastRun: lastRunSchema.nullable() }),
  feedback: z.strictObject({ total: z.int().min(0), sealedSubsets: z.int().min(0) }),
  /** Flagged answers no admin has accepted or rejected yet; absent from older servers. */
  review: z.strictObject({ pending: z.int().min(0) }).optional(),
});
export type Status = z.infer<typeof statusSchema>;

/** `POST /api/admin/rollback`. */
export const rollbackRequestSchema = z.strictObject({ version: versionSchema });
export type RollbackRequest = z.infer<typeof rollbackRequestSchema>;
