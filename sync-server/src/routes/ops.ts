import { Hono } from 'hono';
import type { Metrics } from '../metrics';

/** `GET /healthz` and `GET /metrics` (Prometheus text format). */
export function opsRoutes(metrics: Metrics) {
  return new Hono()
    .get('/healthz', (c) => c.json({ ok: true }, 200))
    .get('/metrics', async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.body(await metrics.render(), 200, { 'Content-Type': metrics.contentType });
    });
}
