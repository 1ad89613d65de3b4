import { Hono } from 'hono';
import type { AnswerInsights } from '../stats/insights';

export interface StatsRouteDeps {
  insights: Pick<AnswerInsights, 'stats'>;
}

/** `GET /api/stats`: users' accuracy per version and over time (see `computeStats`). */
export function statsRoute({ insights }: StatsRouteDeps) {
  return new Hono().get('/', async (c) => {
    const stats = await insights.stats();
    c.header('Cache-Control', 'no-cache');
    return c.json(stats, 200);
  });
}
