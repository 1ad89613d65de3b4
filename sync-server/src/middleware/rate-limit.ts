import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from './errors';
import { TokenBuckets } from './token-buckets';

export interface RateLimitOptions {
  /** Requests per client per minute; 0 turns the limit off. */
  perMinute: number;
  /** The client's key, usually its address (see `clientAddress`). */
  key: (c: Context) => string;
  now?: () => number;
}

/**
 * Token bucket per client: `perMinute` requests of burst, refilled evenly over a minute.
 * A refused request gets 429 with `Retry-After` (seconds until one token is back).
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const buckets = new TokenBuckets(options.perMinute, options.now);
  return async (c, next) => {
    if (options.perMinute <= 0) return next();
    const key = options.key(c);
    const retry = buckets.retryAfter(key);
    if (retry > 0) throw tooMany(retry);
    buckets.take(key);
    return next();
  };
}

/** 429 with `Retry-After` in seconds. */
export function tooMany(retryAfterS: number, message = 'too many requests'): ApiError {
  return new ApiError(429, 'rate_limited', `${message}; retry in ${retryAfterS} s`, {
    headers: { 'Retry-After': String(retryAfterS) },
  });
}
