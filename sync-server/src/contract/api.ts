import { z } from 'zod';
import { feedbackBatchSchema, feedbackItemSchema, MAX_BATCH_ITEMS } from './feedback';
import { versionSchema } from './manifest';
import { retrainStateSchema } from './status';

/**
 * The HTTP API's version, `info.version` of `GET /api/openapi.json` (semver). A breaking change
 * (sync-server/README.md, "Versioning") raises the major and moves the API to a new path prefix.
 */
export const API_VERSION = '1.0.0';

/** Largest body `POST /api/admin/rollback` takes, in bytes. */
export const MAX_ADMIN_BODY_BYTES = 4 * 1024;

/**
 * `POST /api/feedback` as a client sends it. The server checks only the envelope
 * (`feedbackBatchSchema`) as a whole and judges each item alone, so a bad item comes back in
 * `rejected` instead of failing the batch.
 */
export const feedbackBatchRequestSchema = feedbackBatchSchema.extend({
  items: z.array(feedbackItemSchema).min(1).max(MAX_BATCH_ITEMS),
});

/** `GET /healthz`: the process answers (liveness). */
export const healthSchema = z.strictObject({ ok: z.literal(true) });
export type Health = z.infer<typeof healthSchema>;

/** `GET /readyz`: whether the server can take writes now; more fields may name each check. */
export const readinessSchema = z.looseObject({ ok: z.boolean() });
export type Readiness = z.infer<typeof readinessSchema>;

/** `POST /api/admin/rollback`'s 200: the version now live. */
export const rollbackResponseSchema = z.strictObject({ current: versionSchema });
export type RollbackResponse = z.infer<typeof rollbackResponseSchema>;

/** `POST /api/admin/retrain`'s 202: the driver's state once the run was asked for. */
export const retrainResponseSchema = z.strictObject({ state: retrainStateSchema });
export type RetrainResponse = z.infer<typeof retrainResponseSchema>;
