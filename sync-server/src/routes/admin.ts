import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { MAX_ADMIN_BODY_BYTES, rollbackRequestSchema, type RollbackRequest } from '../contract';
import type { Logger } from '../log';
import { adminAuth } from '../middleware/admin-auth';
import { limitBody, requireJson } from '../middleware/body-guards';
import { ApiError } from '../middleware/errors';
import type { ManifestStore } from '../models/manifest-store';
import { LockBusyError } from '../models/retrain-lock';
import { rollbackTo, RollbackError } from '../models/rollback';
import type { RetrainDriver } from '../retrain/driver';

export interface AdminRouteDeps {
  adminToken: string | null;
  modelsDir: string;
  manifests: ManifestStore;
  driver: RetrainDriver;
  log: Logger;
}

/** `POST /api/admin/rollback` and `POST /api/admin/retrain`, behind the admin token. */
export function adminRoutes(deps: AdminRouteDeps) {
  return new Hono()
    .use(adminAuth(deps.adminToken))
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
        try {
          await rollbackTo(deps.modelsDir, version);
        } catch (err) {
          if (err instanceof RollbackError)
            throw new ApiError(err.status, 'rollback_refused', err.message);
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
    });
}
