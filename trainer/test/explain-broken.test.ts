import { describe, expect, it } from 'vitest';
import { PIXEL_COUNT } from 'sync-server/contract';
import { explainBroken, nearestLabels } from '../scripts/explain-broken';
import type { SampleSet } from '../src/train';

/** Digits whose ink is the block of 60 pixels starting at `shape * 60`, `ink` bright. */
function digits(rows: Array<{ shape: number; label: number; ink?: number }>): SampleSet {
  const images = new Uint8Array(rows.length * PIXEL_COUNT);
  rows.forEach(({ shape, ink = 255 }, i) =>
    images.fill(ink, i * PIXEL_COUNT + shape * 60, i * PIXEL_COUNT + shape * 60 + 60),
  );
  return { images, labels: Uint8Array.from(rows.map((r) => r.label)), count: rows.length };
}

describe('nearestLabels', () => {
  it('finds the digits of the same shape first, whatever their ink', () => {
    const pool = digits([
      { shape: 2, label: 2 },
      { shape: 1, label: 1, ink: 90 },
      { shape: 3, label: 3 },
      { shape: 1, label: 7, ink: 200 },
    ]);
    const query = digits([{ shape: 1, label: 1 }]);
    expect(nearestLabels(query, 0, pool, 2).sort()).toEqual([1, 7]);
    expect(nearestLabels(query, 0, pool, 9)).toHaveLength(4);
  });
});

describe('explainBroken', () => {
  const test = digits([
    { shape: 0, label: 4 },
    { shape: 1, label: 1 },
    { shape: 2, label: 2 },
  ]);
  // Writer digits of label 9 lie where the 4 is; MNIST's neighbours of it are 4s.
  const writers = digits([0, 0, 0, 1, 1, 1].map((shape, i) => ({ shape, label: i < 3 ? 9 : 1 })));
  const mnist = digits([0, 0, 0, 2, 2, 2].map((shape, i) => ({ shape, label: i < 3 ? 4 : 2 })));
  /** What the model read before and after, digit by digit. */
  const explain = (before: number[], after: number[]) =>
    explainBroken(test, Uint8Array.from(before), Uint8Array.from(after), writers, mnist, 1);

  it('counts the broken digits that writer digits of the new label surround', () => {
    const e = explain([4, 1, 2], [9, 1, 2]);
    expect(e.broken).toEqual([
      {
        index: 0,
        label: 4,
        now: 9,
        writerNeighbours: [9, 9, 9, 1, 1],
        mnistNeighbours: [4, 4, 4, 2, 2],
      },
    ]);
    expect(e.taughtByWriters).toBe(1);
    expect(e.taughtByMnist).toBe(0);
    // Digit 1 stayed right and its writer neighbours are 1s; digit 2 has none of its own.
    expect(e.stable).toEqual({ checked: 2, writersAgree: 1 });
  });

  it('leaves out digits that were wrong before', () => {
    const e = explain([9, 1, 2], [9, 1, 2]);
    expect(e.broken).toEqual([]);
    expect(e.taughtByWriters).toBe(0);
  });
});
