import { describe, expect, it } from 'vitest';
import { modelUrl, type ManifestVersion } from 'sync-server/contract';
import { planPrune } from './prune';

const v = (day: number): ManifestVersion => {
  const version = `2026-11-${String(day).padStart(2, '0')}T00-00-00-000Z`;
  return {
    version,
    modelUrl: modelUrl(version),
    createdAt: '2026-11-01T00:00:00.000Z',
    parent: null,
    trainedOn: { subsets: [], samples: 0 },
    metrics: { mnistTestAccuracy: 0.9 },
    bytes: 1,
  };
};
const names = (list: ManifestVersion[]) => list.map((x) => x.version.slice(8, 10));

describe('planPrune', () => {
  it('keeps the live one and the three newest others, whatever the input order', () => {
    const versions = [v(5), v(1), v(3), v(2), v(4), v(6)];
    const plan = planPrune({ current: v(6).version, versions });
    expect(names(plan.kept)).toEqual(['03', '04', '05', '06']);
    expect(names(plan.dropped)).toEqual(['01', '02']);
  });

  it('keeps an old live version besides the three newest', () => {
    const versions = [1, 2, 3, 4, 5, 6].map(v);
    const plan = planPrune({ current: v(1).version, versions });
    expect(names(plan.kept)).toEqual(['01', '04', '05', '06']);
  });

  it('drops nothing while four or fewer exist', () => {
    const versions = [1, 2, 3, 4].map(v);
    expect(planPrune({ current: v(2).version, versions }).dropped).toEqual([]);
  });
});
