import type { SyncReport } from './sync';

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** 0 ≤ random() < 1; injectable so tests are exact. */
  random: () => number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, maxMs: 30_000, random: Math.random };

/** Delay before retry number `failures` (1-based): doubling from base, capped, half-jittered. */
export function backoffDelay(failures: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exp = options.baseMs * 2 ** Math.max(0, failures - 1);
  return Math.round(Math.min(options.maxMs, exp) * (0.5 + options.random() / 2));
}

export interface SyncSchedulerOptions {
  run: () => Promise<SyncReport>;
  isOnline: () => boolean;
  onReport?: (report: SyncReport) => void;
  onError?: (error: unknown) => void;
  debounceMs?: number;
  backoff?: BackoffOptions;
  /** The clock `heldUntil` in reports is read against; injectable for tests. */
  now?: () => number;
}

/**
 * Decides when the outbox syncs: now (start, back online), soon (after an answer, debounced),
 * when a held answer leaves its undo window (the report's `heldUntil`), or later after a
 * failure (exponential backoff). One run at a time; a request during a run
 * makes exactly one more run afterwards. Offline it waits for `now()` from the online event.
 */
export class SyncScheduler {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private timerAt = Infinity;
  private running = false;
  private again = false;
  private failures = 0;
  private readonly options: Required<Omit<SyncSchedulerOptions, 'onReport' | 'onError'>> &
    SyncSchedulerOptions;

  constructor(options: SyncSchedulerOptions) {
    this.options = { debounceMs: 500, backoff: DEFAULT_BACKOFF, now: Date.now, ...options };
  }

  /** Sync right away, forgetting any backoff (start-up, the browser came back online). */
  now(): void {
    this.failures = 0;
    this.schedule(0);
  }

  /** Sync shortly; answers in quick succession share one request. */
  soon(): void {
    if (this.failures === 0) this.schedule(this.options.debounceMs);
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.timerAt = Infinity;
  }

  private schedule(delay: number): void {
    this.stop();
    this.timerAt = this.options.now() + delay;
    this.timer = setTimeout(() => void this.fire(), delay);
  }

  /** A run when held answers become eligible, unless one is already due sooner. */
  private wakeAt(at: number): void {
    if (at < this.timerAt) this.schedule(Math.max(0, at - this.options.now()));
  }

  private async fire(): Promise<void> {
    this.timer = null;
    this.timerAt = Infinity;
    if (!this.options.isOnline()) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      const report = await this.options.run();
      this.options.onReport?.(report);
      if (report.outcome === 'retry') this.retryLater(report.retryAfterMs);
      else {
        this.failures = 0;
        if (report.heldUntil != null) this.wakeAt(report.heldUntil);
      }
    } catch (error) {
      this.options.onError?.(error);
      this.retryLater(null);
    } finally {
      this.running = false;
    }
    if (this.again) {
      this.again = false;
      if (this.timer === null) this.schedule(0);
    }
  }

  private retryLater(retryAfterMs: number | null): void {
    this.failures++;
    const delay = backoffDelay(this.failures, this.options.backoff);
    this.schedule(Math.max(delay, retryAfterMs ?? 0));
  }
}
