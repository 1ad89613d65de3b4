import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from './errors';

export interface RateLimitOptions {
  /** Requests per client per minute; 0 turns the limit off. */
  perMinute: number;
  /** The client's key, usually its address (see `clientAddress`). */
  key: (c: Context) => string;
  now?: () => number;
}

interface Bucket {
  tokens: number;
  at: number;
}

// Above this many tracked clients, full (idle) buckets are dropped.
const SWEEP_AT = 10_000;

/**
 * Token bucket per client: `perMinute` requests of burst, refilled evenly over a minute.
 * A refused request gets 429 with `Retry-After` (seconds until one token is back).
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const capacity = options.perMinute;
  const perMs = capacity / 60_000;
  const now = options.now ?? Date.now;
  const buckets = new Map<string, Bucket>();
  return async (c, next) => {
    if (capacity <= 0) return next();
    const t = now();
    const key = options.key(c);
    const b = buckets.get(key) ?? { tokens: capacity, at: t };
    b.tokens = Math.min(capacity, b.tokens + (t - b.at) * perMs);
    b.at = t;
    buckets.set(key, b);
    if (buckets.size > SWEEP_AT) sweep(buckets, t, capacity, perMs);
    if (b.tokens < 1) {
      const retry = Math.max(1, Math.ceil((1 - b.tokens) / perMs / 1000));
      throw new ApiError(429, 'rate_limited', `too many requests; retry in ${retry} s`, {
        headers: { 'Retry-After': String(retry) },
      });
    }
    b.tokens -= 1;
    return next();
  };
}

function sweep(buckets: Map<string, Bucket>, t: number, capacity: number, perMs: number): void {
  for (const [key, b] of buckets)
    if (b.tokens + (t - b.at) * perMs >= capacity) buckets.delete(key);
}
