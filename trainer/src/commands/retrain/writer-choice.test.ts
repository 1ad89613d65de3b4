import { PIXEL_COUNT } from 'sync-server/contract';
import { describe, expect, it } from 'vitest';
import { balancedOnMisread, focusOnMisread, MISREAD_SHARE } from './writer-choice';

/** `labels.length` blank digits with these labels; each image holds its index in pixel 0. */
function labelled(labels: number[]) {
  const images = new Uint8Array(labels.length * PIXEL_COUNT);
  labels.forEach((_, i) => (images[i * PIXEL_COUNT] = i));
  return { images, labels: Uint8Array.from(labels), count: labels.length };
}
const indexOf = (set: { images: Uint8Array; count: number }) =>
  Array.from({ length: set.count }, (_, i) => set.images[i * PIXEL_COUNT]);

describe('focusOnMisread', () => {
  it(`keeps the live model's mistakes first, up to ${MISREAD_SHARE * 100} %, then digits it reads right`, () => {
    const written = labelled([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // Wrong on the even indices.
    const predicted = Array.from(written.labels, (l, i) => (i % 2 === 0 ? (l + 1) % 10 : l));
    const kept = focusOnMisread(written, predicted, 10);
    expect(kept.count).toBe(10);
    expect(indexOf(kept)).toEqual([0, 2, 4, 6, 8, 10, 12, 1, 3, 5]);
    expect(Array.from(kept.labels)).toEqual([0, 2, 4, 6, 8, 0, 2, 1, 3, 5]);
  });

  it('fills up with mistakes when too few digits are read right, and the reverse', () => {
    const written = labelled([1, 1, 1, 1, 1, 1]);
    expect(indexOf(focusOnMisread(written, [2, 2, 2, 2, 2, 2], 4))).toEqual([0, 1, 2, 3]);
    expect(indexOf(focusOnMisread(written, [1, 1, 1, 1, 1, 2], 4))).toEqual([5, 0, 1, 2]);
  });

  it('balanced: every class an equal share, its mistakes first, however the mistakes gather', () => {
    // Two classes, six digits each; the model misreads every 7 and no 0.
    const written = labelled([7, 0, 7, 0, 7, 0, 7, 0, 7, 0, 7, 0]);
    const predicted = Array.from(written.labels, (l) => (l === 7 ? 1 : l));
    // Chosen over all classes, the mistakes (all 7s) fill 70 % of the kept digits...
    expect(Array.from(focusOnMisread(written, predicted, 6).labels)).toEqual([7, 7, 7, 7, 0, 0]);
    // ...balanced, each class keeps three: the 7s its mistakes, the 0s those read right.
    const kept = balancedOnMisread(written, predicted, 6);
    expect(Array.from(kept.labels)).toEqual([0, 0, 0, 7, 7, 7]);
    expect(indexOf(kept)).toEqual([1, 3, 5, 0, 2, 4]);
    // Within a class, the same choice as focusOnMisread: mistakes up to their share first.
    const mixed = labelled([3, 3, 3, 3, 5, 5, 5, 5]);
    const reads = [3, 8, 8, 3, 5, 5, 5, 6];
    expect(indexOf(balancedOnMisread(mixed, reads, 4))).toEqual([1, 0, 7, 4]);
  });

  it('balanced: a class with too few digits leaves its share to the others', () => {
    const written = labelled([2, 4, 4, 4, 4, 4]);
    const kept = balancedOnMisread(written, [2, 4, 9, 4, 9, 4], 4);
    expect(kept.count).toBe(4);
    expect(Array.from(kept.labels).sort()).toEqual([2, 4, 4, 4]);
    // The class of 4 gives its two, its mistake first, then the shortfall, its other mistake first.
    expect(indexOf(kept)).toEqual([0, 2, 1, 4]);
  });
});
