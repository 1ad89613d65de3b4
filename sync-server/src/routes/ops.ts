import { Hono } from 'hono';
import type { Metrics } from '../metrics';
import { errorJson } from '../middleware/errors';
import type { FeedbackStorage } from '../storage/store';

export interface OpsRoutesDeps {
  metrics: Metrics;
  store: Pick<FeedbackStorage, 'writable'>;
}

/**
 * `GET /healthz` (liveness: the process answers, whatever the disk), `GET /readyz`
 * (readiness: the store can write; 503 with the reason when it cannot, so a balancer stops
 * sending uploads while the process stays alive) and `GET /metrics` (Prometheus text).
 */
export function opsRoutes({ metrics, store }: OpsRoutesDeps) {
  return new Hono()
    .get('/healthz', (c) => c.json({ ok: true }, 200))
    .get('/readyz', async (c) => {
      c.header('Cache-Control', 'no-store');
      const health = await store.writable();
      if (health.ok) return c.json({ ok: true }, 200);
      const details = health.since ? { since: health.since } : undefined;
      return errorJson(c, 503, 'not_ready', health.reason, details);
    })
    .get('/metrics', async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType });
    });
}
