import { describe, expect, it } from 'vitest';
import type { Manifest } from 'sync-server/contract';
import { updateText } from './update-text';

const V1 = '2026-11-26T12-00-00-000Z';
const V2 = '2026-11-29T08-00-00-000Z';
const entry = (version: string, subsets: number[], samples: number) => ({
  version,
  modelUrl: `/models/${version}/model.json`,
  createdAt: '2026-11-29T08:00:00.000Z',
  parent: null,
  trainedOn: { subsets, samples },
  metrics: { mnistTestAccuracy: 0.99 },
  bytes: 1,
});
const manifest = (samples: number): Manifest => ({
  schemaVersion: 1,
  current: V2,
  versions: [entry(V1, [], 60000), entry(V2, [0, 1], samples)],
  history: [],
});

describe('updateText', () => {
  it('says how many answers the newer model learned from', () => {
    expect(updateText(manifest(23), V2)).toBe(
      'A newer model is ready (learned from 23 more answers).',
    );
    expect(updateText(manifest(1), V2)).toBe(
      'A newer model is ready (learned from 1 more answer).',
    );
  });

  it('names the version when it learned from no answers, and stays plain without a manifest', () => {
    expect(updateText(manifest(0), V2)).toBe('A newer model is ready (v2 · 29 Nov).');
    expect(updateText(null, V2)).toBe('A newer model is ready.');
  });
});
