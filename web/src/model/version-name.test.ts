import { describe, expect, it } from 'vitest';
import type { Manifest } from 'sync-server/contract';
import { versionName, versionNumber } from './version-name';

const v = (version: string) => ({
  version,
  modelUrl: `/models/${version}/model.json`,
  createdAt: '2026-11-29T12:00:00.000Z',
  parent: null,
  trainedOn: { subsets: [], samples: 0 },
  metrics: { mnistTestAccuracy: 0.99 },
  bytes: 1,
});
const A = '2026-11-26T19-23-20-192Z';
const B = '2026-11-28T10-00-00-000Z';
const C = '2026-11-29T23-59-00-000Z';

const manifest: Manifest = {
  schemaVersion: 1,
  current: C,
  // A was pruned from disk; the history still remembers it was published.
  versions: [v(C), v(B)],
  history: [
    {
      startedAt: '2026-11-26T18:00:00.000Z',
      finishedAt: '2026-11-26T19:23:20.192Z',
      outcome: 'published',
      version: A,
    },
    {
      startedAt: '2026-11-27T18:00:00.000Z',
      finishedAt: '2026-11-27T19:00:00.000Z',
      outcome: 'rejected',
      reason: 'gate',
    },
  ],
};

describe('versionName', () => {
  it('numbers versions by publication, pruned ones included, with the day in UTC', () => {
    expect(versionName(manifest, B)).toBe('v2 · 28 Nov');
    expect(versionName(manifest, C)).toBe('v3 · 29 Nov');
    expect(versionNumber(manifest, A)).toBe('v1');
  });

  it('names an unknown version by its day only', () => {
    expect(versionName(manifest, '2026-12-01T00-00-00-000Z')).toBe('model · 1 Dec');
  });
});
