import { timingSafeEqual, createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { ApiError } from './errors';

/**
 * `Authorization: Bearer <token>` for admin routes. With no token configured the routes are
 * disabled for everyone (403); a missing or wrong token is 401.
 */
export function adminAuth(token: string | null): MiddlewareHandler {
  const want = token === null ? null : digest(token);
  return async (c, next) => {
    if (want === null) throw new ApiError(403, 'admin_disabled', 'ADMIN_TOKEN is not set');
    const m = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '');
    // Hashing first makes the comparison constant-time whatever the length sent.
    if (!m?.[1] || !timingSafeEqual(digest(m[1]), want)) {
      throw new ApiError(401, 'unauthorized', 'a valid admin bearer token is required', {
        headers: { 'WWW-Authenticate': 'Bearer' },
      });
    }
    await next();
  };
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}
