import {
  PREQUENTIAL_BLOCK,
  type MetadataEntry,
  type PrequentialPoint,
  type Stats,
  type VersionStats,
} from '../contract';

type Scored = MetadataEntry & { predicted_label: number };

const emptyConfusion = () => Array.from({ length: 10 }, () => Array<number>(10).fill(0));

function byVersion(scored: Scored[]): VersionStats[] {
  const stats = new Map<string | null, VersionStats>();
  for (const e of scored) {
    const version = e.model_version ?? null;
    let s = stats.get(version);
    if (!s) {
      s = { version, answers: 0, correct: 0, confusion: emptyConfusion() };
      stats.set(version, s);
    }
    s.answers++;
    if (e.predicted_label === e.true_label) s.correct++;
    s.confusion[e.true_label]![e.predicted_label]!++;
  }
  // Versions are timestamps, so name order is time order; unknown last.
  return [...stats.values()].sort((a, b) =>
    a.version === null ? 1 : b.version === null ? -1 : a.version.localeCompare(b.version),
  );
}

function prequential(scored: Scored[]): PrequentialPoint[] {
  const points: PrequentialPoint[] = [];
  for (let from = 0; from < scored.length; from += PREQUENTIAL_BLOCK) {
    const block = scored.slice(from, from + PREQUENTIAL_BLOCK);
    points.push({
      from,
      answers: block.length,
      correct: block.filter((e) => e.predicted_label === e.true_label).length,
      until: block.at(-1)?.created_at ?? 0,
    });
  }
  return points;
}

/**
 * Users' answers scored against the model that predicted them: per version (with the
 * confusion matrix) and over time (prequential: each answer tests the model live when it was
 * given, before any retrain learned from it). Answers without a prediction are left out.
 */
export function computeStats(entries: Iterable<MetadataEntry>): Stats {
  const scored: Scored[] = [];
  for (const e of entries) {
    if (typeof e.predicted_label === 'number') scored.push(e as Scored);
  }
  scored.sort((a, b) => a.created_at - b.created_at);
  return { scored: scored.length, versions: byVersion(scored), prequential: prequential(scored) };
}
