import { Hono, type Context } from 'hono';
import { validator } from 'hono/validator';
import { DEFAULT_ADMIN_AUTH_FAILURES_PER_MIN } from '../config';
import {
  MAX_ADMIN_BODY_BYTES,
  RECENT_PER_DIGIT_MAX,
  rollbackRequestSchema,
  type RollbackRequest,
} from '../contract';
import type { Logger } from '../log';
import { createAuditLog } from '../middleware/admin-audit';
import { adminAuth } from '../middleware/admin-auth';
import { limitBody, requireJson } from '../middleware/body-guards';
import { clientAddress } from '../middleware/client-address';
import { ApiError } from '../middleware/errors';
import type { ManifestStore } from '../models/manifest-store';
import { LockBusyError, rollback, RollbackError } from '../registry';
import type { RetrainDriver } from '../retrain/driver';
import type { AnswerInsights } from '../stats/insights';
import type { ReviewDesk } from '../storage/review-desk';
import { reviewRoutes } from './review';

export interface AdminRouteDeps {
  adminToken: string | null;
  /** Failed authentications per address per minute (ADMIN_AUTH_FAILURES_PER_MIN). */
  adminAuthFailuresPerMin?: number;
  /** The append-only audit log's path; without one nothing is recorded (tests). */
  adminAuditLog?: string | null;
  /** The client's address; the peer address by default. */
  clientKey?: (c: Context) => string;
  modelsDir: string;
  manifests: ManifestStore;
  driver: RetrainDriver;
  log: Logger;
  /** Flagged answers and review decisions. */
  review: ReviewDesk;
  /** The recent answers. */
  insights: Pick<AnswerInsights, 'recent'>;
}

const RECENT_PER_DIGIT_DEFAULT = 8;

/**
 * `POST /api/admin/rollback`, `POST /api/admin/retrain`, the review routes and
 * `GET /api/admin/recent` (people's drawings: admin only), behind the admin token.
 */
export function adminRoutes(deps: AdminRouteDeps) {
  const auth = adminAuth({
    token: deps.adminToken,
    failuresPerMin: deps.adminAuthFailuresPerMin ?? DEFAULT_ADMIN_AUTH_FAILURES_PER_MIN,
    key: deps.clientKey ?? clientAddress,
    log: deps.log,
    audit: createAuditLog(deps.adminAuditLog ?? null, deps.log),
  });
  return new Hono()
    .use(auth)
    .post(
      '/rollback',
      requireJson,
      limitBody(MAX_ADMIN_BODY_BYTES),
      validator('json', (value: RollbackRequest) => {
        const r = rollbackRequestSchema.safeParse(value);
        if (!r.success)
          throw new ApiError(400, 'bad_request', r.error.issues[0]?.message ?? 'bad body');
        return r.data;
      }),
      async (c) => {
        const { version } = c.req.valid('json');
        c.set('auditDetails', { version });
        try {
          // Loads the version first (tfjs on cpu, imported on the first rollback only).
          await rollback(deps.modelsDir, version);
        } catch (err) {
          if (err instanceof RollbackError) {
            const status = err.reason === 'not-kept' ? 404 : 409;
            throw new ApiError(status, 'rollback_refused', err.message);
          }
          if (err instanceof LockBusyError) throw new ApiError(409, 'retrain_running', err.message);
          throw err;
        }
        await deps.manifests.reload();
        deps.log.info('rolled back', { version });
        return c.json({ current: version }, 200);
      },
    )
    .post('/retrain', (c) => {
      if (!deps.driver.requestRun('admin request')) {
        throw new ApiError(
          409,
          'retrain_disabled',
          `RETRAIN_DRIVER=${deps.driver.name} never retrains`,
        );
      }
      return c.json({ state: deps.driver.status().state }, 202);
    })
    .get('/recent', async (c) => {
      const asked = Number(c.req.query('perDigit') ?? RECENT_PER_DIGIT_DEFAULT);
      if (!Number.isInteger(asked) || asked < 1 || asked > RECENT_PER_DIGIT_MAX) {
        throw new ApiError(400, 'bad_request', `perDigit must be 1–${RECENT_PER_DIGIT_MAX}`);
      }
      c.header('Cache-Control', 'no-store');
      return c.json(await deps.insights.recent(asked), 200);
    })
    .route('/review', reviewRoutes(deps));
}
