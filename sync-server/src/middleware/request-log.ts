import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';

/**
 * One structured log line and one duration sample per request, tagged with the request id
 * (set earlier by `requestId()`). The route label is the matched pattern, never the raw
 * path, so metric cardinality stays bounded.
 */
export function requestLog(log: Logger, metrics: Metrics): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    await next();
    const seconds = (performance.now() - start) / 1000;
    const status = c.res.status;
    const route = routePath(c, -1);
    metrics.httpRequest(c.req.method, route, status, seconds);
    const fields = {
      requestId: c.get('requestId'),
      method: c.req.method,
      path: c.req.path,
      status,
      ms: Math.round(seconds * 10_000) / 10,
    };
    // A 503 is the server saying "not now" on purpose (storage full, draining, busy): the
    // cause is logged where it is decided; only other 5xx are faults.
    if (status === 503) log.warn('request', fields);
    else if (status >= 500) log.error('request', fields);
    else log.info('request', fields);
  };
}
