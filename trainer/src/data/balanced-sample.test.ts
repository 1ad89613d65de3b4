import { describe, expect, it } from 'vitest';
import { holdoutSample, recallSample } from './balanced-sample';

interface Item {
  id: string;
  label: number;
  createdAt: number;
}

// `counts[d]` items of digit d, ids unique, times increasing with the index.
function items(counts: number[]): Item[] {
  return counts.flatMap((n, label) =>
    Array.from({ length: n }, (_, i) => ({ id: `${label}-${i}`, label, createdAt: i })),
  );
}

const perClass = (xs: readonly Item[]) =>
  Array.from({ length: 10 }, (_, d) => xs.filter((x) => x.label === d).length);

describe('recallSample', () => {
  it('balances the classes, giving what a small class cannot fill to the others', () => {
    const older = items([500, 500, 500, 500, 500, 500, 500, 500, 500, 30]);
    const sample = recallSample(older, 200, 1);
    expect(sample).toHaveLength(200);
    expect(perClass(sample)).toEqual([20, 20, 20, 20, 20, 20, 20, 20, 20, 20]);
    const skewed = recallSample(older, 2000, 1);
    expect(perClass(skewed)).toEqual([219, 219, 219, 219, 219, 219, 219, 219, 218, 30]);
    expect(new Set(skewed.map((x) => x.id)).size).toBe(2000);
  });

  it('is the same for the same seed whatever the read order, and differs by seed', () => {
    const older = items(Array(10).fill(100));
    const a = recallSample(older, 100, 7).map((x) => x.id);
    expect(recallSample([...older].reverse(), 100, 7).map((x) => x.id)).toEqual(a);
    expect(recallSample(older, 100, 8).map((x) => x.id)).not.toEqual(a);
  });

  it('keeps its size with few older answers by repeating each at most maxRepeat times', () => {
    const older = items(Array(10).fill(5));
    const sample = recallSample(older, 200, 1, 3);
    expect(sample).toHaveLength(150);
    const copies = new Map<string, number>();
    for (const x of sample) copies.set(x.id, (copies.get(x.id) ?? 0) + 1);
    expect(Math.max(...copies.values())).toBe(3);
    expect(Math.min(...copies.values())).toBe(3);
    // Every answer appears once before any appears twice.
    const once = recallSample(older, 60, 1, 3);
    expect(new Set(once.map((x) => x.id)).size).toBe(50);
  });
});

describe('holdoutSample', () => {
  it('takes the newest of each class first, stratified', () => {
    const held = items([10, 10, 10, 10, 10, 10, 10, 10, 10, 10]);
    const sample = holdoutSample(held, 30);
    expect(perClass(sample)).toEqual(Array(10).fill(3));
    expect(sample.filter((x) => x.label === 4).map((x) => x.createdAt)).toEqual([9, 8, 7]);
  });
});
