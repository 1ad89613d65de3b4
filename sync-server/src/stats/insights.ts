import type { RecentAnswers, Stats } from '../contract';
import type { FeedbackStorage } from '../storage/store';
import { computeStats } from './compute';
import { recentAnswers } from './recent';

/** The views of stored answers: `GET /api/stats` and the admin's recent answers. */
export interface AnswerInsights {
  stats(): Promise<Stats>;
  recent(perDigit: number): Promise<RecentAnswers>;
}

/**
 * Statistics computed again only when the number of stored answers changed (they are only
 * ever added), so polling dashboards cost one comparison.
 */
export function cachedStats(
  totals: () => { total: number },
  compute: () => Promise<Stats>,
): () => Promise<Stats> {
  let cached: { total: number; stats: Promise<Stats> } | null = null;
  return () => {
    const { total } = totals();
    if (cached?.total !== total) {
      const stats = compute();
      cached = { total, stats };
      // A failed computation is tried again by the next request.
      stats.catch(() => {
        if (cached?.stats === stats) cached = null;
      });
    }
    return cached.stats;
  };
}

/** The file store's views: its entries in memory, their PNGs in `dataDir`. */
export function fileInsights(
  store: Pick<FeedbackStorage, 'storedEntries' | 'totals'>,
  dataDir: string,
): AnswerInsights {
  const storedEntries = () => store.storedEntries?.() ?? [];
  return {
    stats: cachedStats(
      () => store.totals(),
      async () => computeStats([...storedEntries()].map((s) => s.entry)),
    ),
    recent: (perDigit) => recentAnswers({ dataDir, storedEntries }, perDigit),
  };
}
