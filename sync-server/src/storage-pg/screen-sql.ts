import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { FeedbackFlag, MetadataEntry } from '../contract';
import type { ScreenOptions } from '../storage/screen';
import type { IngestItem } from './ingest';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/**
 * Whose quota an item uses: its client, or for an item without a clientId its address. The
 * address is kept only as a hash, and only for the day its count lasts (`screen_log`).
 */
export function screenKey(clientId: string | undefined, address: string): string {
  if (clientId) return `client:${clientId.toLowerCase()}`;
  return `address:${createHash('sha256').update(address).digest('hex').slice(0, 32)}`;
}

/**
 * The file store's quota and burst rules (`IngestScreen` in src/storage/screen.ts), counted in
 * the database inside the ingest transaction: the state row's lock orders the transactions
 * of every replica, so counts read here include every item admitted before, wherever.
 * - quota: a key's items received this UTC day; at `quotaPerDay` more are refused;
 * - burst: an item is flagged when `burstPerHour` items of its key came in the hour before.
 * Items are taken in order; the content flags (`contentFlags`) came with each item.
 */
export async function screenInTransaction(
  client: pg.ClientBase,
  items: IngestItem[],
  options: ScreenOptions,
): Promise<{
  admitted: { it: IngestItem; extra: Partial<MetadataEntry> }[];
  overQuota: Set<string>;
}> {
  const now = (options.now ?? Date.now)();
  const dayStart = Math.floor(now / DAY_MS) * DAY_MS;
  const hourAgo = now - HOUR_MS;
  // Rows neither count can use again; the age index makes this a no-op most of the time.
  await client.query('DELETE FROM screen_log WHERE received_at < $1', [
    Math.min(dayStart, hourAgo + 1),
  ]);
  const keys = [...new Set(items.map((i) => i.key).filter((k) => k !== undefined))];
  const counts = await client.query<{ key: string; today: number; hour: number }>(
    `SELECT key, count(*) FILTER (WHERE received_at >= $2)::int AS today,
       count(*) FILTER (WHERE received_at > $3 AND received_at <= $4)::int AS hour
     FROM screen_log WHERE key = ANY($1::text[]) GROUP BY key`,
    [keys, dayStart, hourAgo, now],
  );
  const today = new Map(counts.rows.map((r) => [r.key, r.today]));
  const hour = new Map(counts.rows.map((r) => [r.key, r.hour]));
  const admitted: { it: IngestItem; extra: Partial<MetadataEntry> }[] = [];
  const overQuota = new Set<string>();
  const logged: string[] = [];
  for (const it of items) {
    const flags: FeedbackFlag[] = [...(it.flags ?? [])];
    if (it.key !== undefined) {
      const used = today.get(it.key) ?? 0;
      if (options.quotaPerDay > 0 && used >= options.quotaPerDay) {
        overQuota.add(it.item.id);
        continue;
      }
      today.set(it.key, used + 1);
      const recent = hour.get(it.key) ?? 0;
      if (recent >= options.burstPerHour) flags.push('burst');
      hour.set(it.key, recent + 1);
      logged.push(it.key);
    }
    admitted.push({
      it,
      extra: { received_at: now, ...(flags.length > 0 ? { flags } : {}) },
    });
  }
  if (logged.length > 0)
    await client.query(
      'INSERT INTO screen_log (key, received_at) SELECT unnest($1::text[]), $2::bigint',
      [logged, now],
    );
  return { admitted, overQuota };
}
