import { Hono } from 'hono';
import type { Stats } from '../contract';
import { computeStats } from '../stats/compute';
import type { FeedbackStorage } from '../storage/store';

export interface StatsRouteDeps {
  /** The file store keeps every entry in memory; the PostgreSQL store offers none yet. */
  store: Pick<FeedbackStorage, 'storedEntries' | 'totals'>;
}

/**
 * `GET /api/stats`: users' accuracy per version and over time, from the metadata held in
 * memory. Computed again only when the number of stored answers changed (they are only ever
 * added), so polling dashboards cost one comparison.
 */
export function statsRoute({ store }: StatsRouteDeps) {
  let cached: { total: number; stats: Stats } | null = null;
  return new Hono().get('/', (c) => {
    const { total } = store.totals();
    if (cached?.total !== total) cached = { total, stats: computeStats(entriesOf(store)) };
    c.header('Cache-Control', 'no-cache');
    return c.json(cached.stats, 200);
  });
}

function* entriesOf(store: StatsRouteDeps['store']) {
  for (const { entry } of store.storedEntries?.() ?? []) yield entry;
}
