import { describe, expect, it } from 'vitest';
import type { Manifest } from 'sync-server/contract';
import { testItem } from '../feedback/test-items';
import { answerList, stateText } from './answer-list';

const V1 = '2026-11-26T12-00-00-000Z';
const V2 = '2026-11-28T12-00-00-000Z';
const V3 = '2026-11-29T12-00-00-000Z';
const entry = (version: string, parent: string | null, subsets: number[]) => ({
  version,
  modelUrl: `/models/${version}/model.json`,
  createdAt: '2026-11-29T12:00:00.000Z',
  parent,
  trainedOn: { subsets, samples: subsets.length * 10 },
  metrics: { mnistTestAccuracy: 0.99 },
  bytes: 1,
});
const manifest: Manifest = {
  schemaVersion: 1,
  current: V3,
  versions: [entry(V1, null, []), entry(V2, V1, [0]), entry(V3, V2, [1])],
  history: [],
};

describe('answerList', () => {
  it('gives each answer its state, newest first, and counts those in the live model', () => {
    const [a, b, c, d, e] = [1, 2, 3, 4, 5].map((l) => testItem(l));
    const { rows, inLive } = answerList({
      waiting: [e!],
      refused: [{ item: d!, reason: 'too big' }],
      sent: [
        { item: a!, subset: 0, sentAt: 1 },
        { item: b!, subset: 1, sentAt: 1 },
        { item: c!, subset: 2, sentAt: 1 },
      ],
      manifest,
    });
    expect(rows.map((r) => [r.item.label, stateText(r.state)])).toEqual([
      [5, 'Waiting on this device'],
      [4, 'Refused by the server: too big'],
      [3, 'Sent, not used in a model yet'],
      [2, 'Used in v3 · 29 Nov'],
      [1, 'Used in v2 · 28 Nov'],
    ]);
    // Subset 0 went into v2, the live v3's parent: both of those answers are in the live model.
    expect(inLive).toBe(2);
  });

  it('shows sent answers as sent when no manifest was ever seen (offline first visit)', () => {
    const item = testItem(7);
    const { rows, inLive } = answerList({
      waiting: [],
      refused: [],
      sent: [{ item, subset: 0, sentAt: 1 }],
      manifest: null,
    });
    expect(rows[0]?.state).toEqual({ kind: 'sent' });
    expect(inLive).toBe(0);
  });
});
