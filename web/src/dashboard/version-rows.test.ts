import { describe, expect, it } from 'vitest';
import type { Manifest } from 'sync-server/contract';
import { versionRows } from './version-rows';

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
        version('2026-11-26T13-00-00-000Z', { holdoutAccuracy: 0.8 }),
        version('2026-11-26T12-00-00-000Z', { holdoutAccuracy: null }),
      ],
      history: [],
    };
    const rows = versionRows(manifest);
    expect(rows.map((r) => [r.version, r.live, r.user])).toEqual([
      ['2026-11-26T12-00-00-000Z', true, null],
      ['2026-11-26T13-00-00-000Z', false, 0.8],
    ]);
  });
});
