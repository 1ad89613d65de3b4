import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from '../log';
import type { AuditLog } from './admin-audit';
import { bearerCheck } from './bearer';
import { ApiError } from './errors';
import { tooMany } from './rate-limit';
import { TokenBuckets } from './token-buckets';

export interface AdminAuthOptions {
  /** The admin bearer token; null disables the admin routes (403 to everyone). */
  token: string | null;
  /** Failed authentications per address per minute; past them the address gets 429. */
  failuresPerMin: number;
  /** The client's address (see `clientAddress`). */
  key: (c: Context) => string;
  log: Logger;
  audit: AuditLog;
  now?: () => number;
}

/**
 * `Authorization: Bearer <token>` for admin routes: a missing or wrong token is 401 (403 while
 * no token is configured), logged at warn and audited. An address past its failed attempts
 * gets 429 with `Retry-After`, even with the right token, until its bucket refills; those
 * refusals are not audited, so a flood cannot turn into a flood of fsyncs. Every request
 * that gets through is audited with the status it was answered with.
 */
export function adminAuth(options: AdminAuthOptions): MiddlewareHandler {
  const matches = options.token === null ? null : bearerCheck(options.token);
  const failures = new TokenBuckets(options.failuresPerMin, options.now);
  return async (c, next) => {
    const address = options.key(c);
    const retry = failures.retryAfter(address);
    if (retry > 0) throw tooMany(retry, 'too many failed admin authentications');
    const entry = {
      at: new Date().toISOString(),
      address,
      action: `${c.req.method} ${c.req.path}`,
      requestId: c.get('requestId'),
    };
    const refused = refusal(matches, c.req.header('authorization'));
    if (refused) {
      failures.take(address);
      options.log.warn('admin authentication failed', { ...entry, status: refused.status });
      await options.audit.append({ ...entry, status: refused.status });
      throw refused;
    }
    await next();
    const details = c.get('auditDetails');
    await options.audit.append({ ...entry, status: c.res.status, ...(details ? { details } : {}) });
  };
}

function refusal(
  matches: ((header: string | undefined) => boolean) | null,
  header: string | undefined,
): ApiError | null {
  if (matches === null) return new ApiError(403, 'admin_disabled', 'ADMIN_TOKEN is not set');
  if (matches(header)) return null;
  return new ApiError(401, 'unauthorized', 'a valid admin bearer token is required', {
    headers: { 'WWW-Authenticate': 'Bearer' },
  });
}
