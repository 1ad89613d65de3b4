import { describe, expect, it } from 'vitest';
import type { Manifest } from 'sync-server/contract';
import { percent, userAccuracy, versionRows } from './version-rows';

const version = (v: string, metrics: Record<string, number | null>) => ({
  version: v,
  modelUrl: `/models/${v}/model.json`,
  createdAt: '2026-11-26T12:00:00.000Z',
  parent: null,
  trainedOn: { subsets: [0], samples: 10 },
  metrics: { mnistTestAccuracy: 0.99, ...metrics },
  bytes: 1000,
});

describe('versionRows', () => {
  it('orders versions oldest first, marks the live one and finds the user accuracy', () => {
    const manifest: Manifest = {
      schemaVersion: 1,
      current: '2026-11-26T12-00-00-000Z',
      versions: [
        version('2026-11-26T13-00-00-000Z', { holdoutAccuracy: 0.8, holdoutSamples: 5 }),
        version('2026-11-26T12-00-00-000Z', { holdoutAccuracy: null }),
      ],
      history: [],
    };
    const rows = versionRows(manifest);
    expect(rows.map((r) => [r.name, r.live, r.user, r.userSamples])).toEqual([
      ['v1 · 26 Nov', true, null, null],
      ['v2 · 26 Nov', false, 0.8, 5],
    ]);
  });

  it('never reads a sample count as an accuracy', () => {
    // What the trainer writes for an empty holdout: no accuracy, a count of 0.
    const [row] = versionRows({
      schemaVersion: 1,
      current: '2026-11-26T12-00-00-000Z',
      versions: [version('2026-11-26T12-00-00-000Z', { holdoutAccuracy: null, holdoutSamples: 0 })],
      history: [],
    });
    expect(row?.user).toBeNull();
    expect(row?.userSamples).toBe(0);
    expect(userAccuracy({ mnistTestAccuracy: 0.9, holdoutSamples: 40 })).toBeNull();
    expect(userAccuracy({ mnistTestAccuracy: 0.9, userCount: 0.5 })).toBeNull();
  });

  it('ignores an accuracy measured on no answer at all', () => {
    expect(
      userAccuracy({ mnistTestAccuracy: 0.9, holdoutAccuracy: 0, holdoutSamples: 0 }),
    ).toBeNull();
    expect(userAccuracy({ mnistTestAccuracy: 0.9, holdoutAccuracy: 0.75, holdoutSamples: 4 })).toBe(
      0.75,
    );
  });
});

describe('percent', () => {
  it('shows "—" for a missing measure and a percentage otherwise', () => {
    expect(percent(null)).toBe('—');
    expect(percent(undefined)).toBe('—');
    expect(percent(Number.NaN)).toBe('—');
    expect(percent(0)).toBe('0.00 %');
    expect(percent(0.9962)).toBe('99.62 %');
  });
});
