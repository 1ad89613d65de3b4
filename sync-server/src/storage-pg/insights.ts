import type pg from 'pg';
import type { MetadataEntry } from '../contract';
import { computeStats } from '../stats/compute';
import { cachedStats, type AnswerInsights } from '../stats/insights';
import { pixelsOfPng, recentAnswerOf } from '../stats/recent';

/**
 * The answer views on PostgreSQL, read from the database (every replica's answers): the
 * statistics from the four fields they use, the recent answers from an index per digit.
 */
export function pgInsights(pool: pg.Pool, totals: () => { total: number }): AnswerInsights {
  return {
    stats: cachedStats(totals, async () => {
      const r = await pool.query<{ entry: string }>(
        `SELECT json_build_object('filename', filename, 'source', entry -> 'source',
           'true_label', entry -> 'true_label', 'created_at', entry -> 'created_at',
           'predicted_label', entry -> 'predicted_label', 'model_version', entry -> 'model_version'
         )::text AS entry
         FROM feedback_items WHERE json_typeof(entry -> 'predicted_label') = 'number'`,
      );
      return computeStats(r.rows.map((row) => JSON.parse(row.entry) as MetadataEntry));
    }),
    async recent(perDigit) {
      const r = await pool.query<{ label: number; entry: string; png: Buffer | null }>(
        `SELECT d.label, i.entry::text AS entry, i.png
         FROM generate_series(0, 9) AS d(label) CROSS JOIN LATERAL (
           SELECT entry, png FROM feedback_items
           WHERE (entry ->> 'true_label')::int = d.label
           ORDER BY (entry ->> 'created_at')::bigint DESC LIMIT $1) i`,
        [perDigit],
      );
      const digits = Array.from({ length: 10 }, (_, label) => ({
        label,
        answers: [] as ReturnType<typeof recentAnswerOf>[],
      }));
      for (const row of r.rows) {
        const pixels = row.png ? pngPixels(row.png) : null;
        if (pixels) digits[row.label]!.answers.push(recentAnswerOf(JSON.parse(row.entry), pixels));
      }
      return { digits };
    },
  };
}

// An unreadable PNG (an imported one) is left out of the view, as the file store does.
function pngPixels(png: Buffer): string | null {
  try {
    return pixelsOfPng(png);
  } catch {
    return null;
  }
}
