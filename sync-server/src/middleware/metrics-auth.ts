import type { MiddlewareHandler } from 'hono';
import { bearerCheck } from './bearer';
import { ApiError } from './errors';

/**
 * Guards `/metrics` with `METRICS_TOKEN` as a bearer token when one is set; open otherwise,
 * so a scraper on a private network needs no setup.
 */
export function metricsAuth(token: string | null): MiddlewareHandler {
  const matches = token === null ? null : bearerCheck(token);
  return async (c, next) => {
    if (matches && !matches(c.req.header('authorization'))) {
      throw new ApiError(401, 'unauthorized', 'a valid metrics bearer token is required', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    await next();
  };
}
