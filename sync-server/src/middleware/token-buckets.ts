interface Bucket {
  tokens: number;
  at: number;
}

// Above this many tracked keys, full (idle) buckets are dropped.
const SWEEP_AT = 10_000;

/**
 * A token bucket per key: `perMinute` tokens of burst, refilled evenly over a minute. Shared
 * by the feedback rate limit (every request takes one) and the admin lockout (every failed
 * authentication takes one).
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly capacity: number,
    private readonly now: () => number = Date.now,
  ) {
    this.perMs = capacity / 60_000;
  }

  /** Seconds until `key` has a whole token again; 0 when it has one now. */
  retryAfter(key: string): number {
    const b = this.refill(key);
    if (b.tokens >= 1) return 0;
    return Math.max(1, Math.ceil((1 - b.tokens) / this.perMs / 1000));
  }

  /** Takes one token from `key`, whether or not one is left (it may go below zero). */
  take(key: string): void {
    this.refill(key).tokens -= 1;
  }

  private refill(key: string): Bucket {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.capacity, at: t };
    b.tokens = Math.min(this.capacity, b.tokens + (t - b.at) * this.perMs);
    b.at = t;
    this.buckets.set(key, b);
    if (this.buckets.size > SWEEP_AT) this.sweep(t);
    return b;
  }

  private sweep(t: number): void {
    for (const [key, b] of this.buckets)
      if (b.tokens + (t - b.at) * this.perMs >= this.capacity) this.buckets.delete(key);
  }
}
