import { PIXEL_COUNT } from 'sync-server/contract';
import { describe, expect, it } from 'vitest';
import { replayByReading } from './mix';

// 30 digits, three of each class; each image's first pixel is its index.
const mnist = {
  images: new Uint8Array(30 * PIXEL_COUNT).map((_, p) =>
    p % PIXEL_COUNT === 0 ? p / PIXEL_COUNT : 0,
  ),
  labels: Uint8Array.from({ length: 30 }, (_, i) => i % 10),
  count: 30,
};
const indices = (set: { images: Uint8Array; count: number }) =>
  Array.from({ length: set.count }, (_, i) => set.images[i * PIXEL_COUNT]!);

describe('replayByReading', () => {
  it('draws one MNIST digit of the class the live model reads each writer digit as', () => {
    const reading = [3, 3, 5, 0, 3];
    const set = replayByReading(mnist, reading, 5, 1);
    expect(Array.from(set.labels)).toEqual([3, 3, 5, 0, 3]);
    // A class's digits in turn: the three 3s are three different MNIST digits.
    expect(new Set(indices(set).filter((_, k) => reading[k] === 3)).size).toBe(3);
  });

  it('cycles the readings for a larger count, and wraps a class it has drawn whole', () => {
    const set = replayByReading(mnist, [7], 4, 1);
    expect(Array.from(set.labels)).toEqual([7, 7, 7, 7]);
    const drawn = indices(set);
    expect(drawn[3]).toBe(drawn[0]);
  });

  it('is deterministic by seed, and draws nothing without readings', () => {
    const reading = [1, 2, 4, 8, 9, 1, 2];
    expect(indices(replayByReading(mnist, reading, 7, 5))).toEqual(
      indices(replayByReading(mnist, reading, 7, 5)),
    );
    expect(replayByReading(mnist, [], 10, 1).count).toBe(0);
  });
});
