import type { FeedbackFlag, FeedbackItem, MetadataEntry } from '../contract';
import { isNotDigitLike } from './not-digit-like';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** The client's model gave at least this to another digit: `confident_disagreement`. */
export const CONFIDENT = 0.99;

export interface ScreenOptions {
  /** Answers per client per UTC day; 0 = no quota (`CLIENT_QUOTA_PER_DAY`). */
  quotaPerDay: number;
  /** A client's answers beyond this many within an hour are flagged `burst` (`BURST_PER_HOUR`). */
  burstPerHour: number;
  now?: () => number;
}

/** What the screen decided for one new item; `key` and `receivedAt` let a failed commit undo it. */
export type Verdict =
  | { ok: true; flags: FeedbackFlag[]; receivedAt: number; key: string }
  | { ok: false; reason: 'quota' };

/**
 * Quotas and flags at ingest, for any store: the store calls `admit` once per new item (never
 * for a duplicate, so a resend costs no quota), stores the flags with the item, and calls
 * `release` for the admitted items of a commit that failed (the client will resend them).
 *
 * A client is its `clientId`; items without one share a key per address, which is never
 * stored, so after a restart only clientId counts come back (`countStored`). Counts use the
 * time the server received an item (`received_at`), never the client's clock.
 */
export class IngestScreen {
  private day = -1;
  private readonly today = new Map<string, number>();
  /** Per client, the receive times of its newest answers in the last hour, oldest first. */
  private readonly recent = new Map<string, number[]>();
  private readonly now: () => number;

  constructor(private readonly options: ScreenOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Counts stored entries again (on start): today's per client, and the last hour's. */
  countStored(entries: Iterable<MetadataEntry>): void {
    const now = this.now();
    this.rollDay(now);
    for (const e of entries) {
      if (!e.client_id || e.received_at === undefined) continue;
      const key = keyOf(e.client_id.toLowerCase(), '');
      if (Math.floor(e.received_at / DAY_MS) === this.day)
        this.today.set(key, (this.today.get(key) ?? 0) + 1);
      if (e.received_at > now - HOUR_MS && e.received_at <= now)
        this.timesOf(key).push(e.received_at);
    }
    for (const times of this.recent.values()) {
      times.sort((a, b) => a - b);
      times.splice(0, Math.max(0, times.length - this.options.burstPerHour));
    }
  }

  /** Admits a new item (and counts it) or refuses it over quota. */
  admit(item: FeedbackItem, pixels: Uint8Array, address: string): Verdict {
    const now = this.now();
    this.rollDay(now);
    const key = keyOf(item.clientId, address);
    const used = this.today.get(key) ?? 0;
    const { quotaPerDay, burstPerHour } = this.options;
    if (quotaPerDay > 0 && used >= quotaPerDay) return { ok: false, reason: 'quota' };
    this.today.set(key, used + 1);
    // Only the newest `burstPerHour` times matter (the item is a burst when that many came
    // within the hour before it), which bounds the memory per client whatever the rate.
    const times = this.timesOf(key);
    while (times.length > 0 && times[0]! <= now - HOUR_MS) times.shift();
    const burst = times.length >= burstPerHour;
    times.push(now);
    if (times.length > burstPerHour) times.shift();
    const flags = contentFlags(item, pixels);
    if (burst) flags.push('burst');
    return { ok: true, flags, receivedAt: now, key };
  }

  /** Takes an admitted item back out of the counts (its commit failed). */
  release(verdict: Extract<Verdict, { ok: true }>): void {
    if (Math.floor(verdict.receivedAt / DAY_MS) === this.day) {
      const used = this.today.get(verdict.key) ?? 0;
      if (used > 1) this.today.set(verdict.key, used - 1);
      else this.today.delete(verdict.key);
    }
    const times = this.recent.get(verdict.key);
    const at = times?.lastIndexOf(verdict.receivedAt) ?? -1;
    if (times && at >= 0) times.splice(at, 1);
  }

  private timesOf(key: string): number[] {
    let times = this.recent.get(key);
    if (!times) this.recent.set(key, (times = []));
    return times;
  }

  // A new UTC day starts every count afresh; clients idle for an hour are forgotten then too,
  // which bounds the memory to the clients of one day.
  private rollDay(now: number): void {
    const day = Math.floor(now / DAY_MS);
    if (day === this.day) return;
    this.day = day;
    this.today.clear();
    for (const [key, times] of this.recent)
      if ((times.at(-1) ?? 0) <= now - HOUR_MS) this.recent.delete(key);
  }
}

/** The flags an item earns by itself: its own prediction, and the server's pixel check. */
export function contentFlags(item: FeedbackItem, pixels: Uint8Array): FeedbackFlag[] {
  const flags: FeedbackFlag[] = [];
  if (
    item.predicted !== null &&
    item.predicted !== item.label &&
    item.confidence !== null &&
    item.confidence >= CONFIDENT
  )
    flags.push('confident_disagreement');
  if (isNotDigitLike(pixels)) flags.push('not_digit_like');
  return flags;
}

function keyOf(clientId: string | undefined, address: string): string {
  return clientId ? `client:${clientId}` : `address:${address}`;
}
