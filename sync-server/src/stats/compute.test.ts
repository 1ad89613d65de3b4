import { describe, expect, it } from 'vitest';
import { PREQUENTIAL_BLOCK, statsSchema, type MetadataEntry } from '../contract';
import { computeStats } from './compute';

const V1 = '2026-11-26T12-00-00-000Z';
const V2 = '2026-11-28T12-00-00-000Z';
let t = 0;
const entry = (
  label: number,
  predicted: number | null,
  version: string | null = V1,
): MetadataEntry => ({
  filename: `${label}_${++t}.png`,
  true_label: label,
  created_at: t,
  source: 'web_feedback',
  predicted_label: predicted,
  model_version: version,
});

describe('computeStats', () => {
  it('fills each version confusion matrix as label × predicted and counts the correct ones', () => {
    const stats = computeStats([entry(7, 7), entry(7, 1), entry(3, 3, V2), entry(2, null)]);
    expect(statsSchema.parse(stats)).toEqual(stats);
    expect(stats.scored).toBe(3);
    const [v1, v2] = stats.versions;
    expect(v1).toMatchObject({ version: V1, answers: 2, correct: 1 });
    expect(v1?.confusion[7]?.[7]).toBe(1);
    expect(v1?.confusion[7]?.[1]).toBe(1);
    expect(v1?.confusion.flat().reduce((a, b) => a + b)).toBe(2);
    expect(v2).toMatchObject({ version: V2, answers: 1, correct: 1 });
  });

  it('scores answers in the order they were given, per block', () => {
    const entries = Array.from({ length: PREQUENTIAL_BLOCK + 10 }, (_, i) =>
      entry(1, i < PREQUENTIAL_BLOCK ? 1 : 2),
    );
    const { prequential } = computeStats(entries.reverse());
    expect(prequential.map((p) => [p.from, p.answers, p.correct])).toEqual([
      [0, PREQUENTIAL_BLOCK, PREQUENTIAL_BLOCK],
      [PREQUENTIAL_BLOCK, 10, 0],
    ]);
  });

  it('puts answers without a version last, under null', () => {
    const stats = computeStats([entry(4, 4, null), entry(4, 9, V1)]);
    expect(stats.versions.map((v) => v.version)).toEqual([V1, null]);
  });
});
