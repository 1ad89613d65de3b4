import { z } from 'zod';
import { retrainOutcomeSchema } from './manifest';

/** `models/<RETRAIN_LOCK_FILE>`: held by a trainer run, and by the server while it rolls back. */
export const RETRAIN_LOCK_FILE = '.retrain.lock';

/** What the lock file holds: whoever finds it can tell whether its holder is still alive. */
export const retrainLockSchema = z.object({
  pid: z.int(),
  startedAt: z.string(),
  purpose: z.string().optional(),
  /** Unique per acquisition: a takeover deletes exactly the lock it judged stale, never a newer one. */
  token: z.string().optional(),
});
export type RetrainLock = z.infer<typeof retrainLockSchema>;

/**
 * The last stdout line of the trainer's `retrain` command, read by the server's local driver.
 * Exit 0 for published or rejected, non-zero for failed.
 */
export const retrainResultLineSchema = z.looseObject({
  outcome: retrainOutcomeSchema,
  version: z.string().optional(),
  reason: z.string().optional(),
  metrics: z.record(z.string(), z.number().nullable()).optional(),
});
export type RetrainResultLine = z.infer<typeof retrainResultLineSchema>;
