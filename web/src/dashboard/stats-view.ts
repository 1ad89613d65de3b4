import type { Manifest, Stats, VersionStats } from 'sync-server/contract';
import { versionName } from '../model/version-name';

/** One version's users' answers, ready to show: names, per-digit accuracy, the matrix. */
export interface VersionStatsView {
  version: string | null;
  name: string;
  answers: number;
  accuracy: number | null;
  /** Per confirmed digit: its answers and the share the model got right (null: no answer). */
  digits: { digit: number; answers: number; accuracy: number | null }[];
  confusion: number[][];
}

const ratio = (correct: number, total: number) => (total > 0 ? correct / total : null);

export function versionStatsView(s: VersionStats, manifest: Manifest | null): VersionStatsView {
  const digits = s.confusion.map((row, digit) => {
    const answers = row.reduce((a, b) => a + b, 0);
    return { digit, answers, accuracy: ratio(row[digit] ?? 0, answers) };
  });
  const name =
    s.version === null
      ? 'unknown version'
      : manifest
        ? versionName(manifest, s.version)
        : s.version;
  return {
    version: s.version,
    name,
    answers: s.answers,
    accuracy: ratio(s.correct, s.answers),
    digits,
    confusion: s.confusion,
  };
}

/** Newest version first: the one people are answering now comes on top. */
export function statsViews(stats: Stats, manifest: Manifest | null): VersionStatsView[] {
  return stats.versions.map((s) => versionStatsView(s, manifest)).reverse();
}

/** Users' accuracy over time as chart rows: one per block of answers. */
export function prequentialRows(stats: Stats) {
  return stats.prequential.map((p) => ({
    label: `${p.from + 1}–${p.from + p.answers}`,
    accuracy: ratio(p.correct, p.answers),
    answers: p.answers,
  }));
}
