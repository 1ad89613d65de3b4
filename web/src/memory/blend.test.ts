import { describe, expect, it } from 'vitest';
import { argmax, blend, nearest, normalize, type BlendOptions, type MemoryIndex } from './blend';

const OPTIONS: BlendOptions = { k: 3, radius: 0.1, alphaMax: 0.7, minSupport: 0.25 };

/** A memory of unit vectors in 3-d with their labels. */
function memory(rows: [number[], number][]): MemoryIndex {
  const vectors = new Float32Array(rows.length * 3);
  rows.forEach(([v], i) => vectors.set(normalize(v), i * 3));
  return { dim: 3, count: rows.length, vectors, labels: Uint8Array.from(rows, ([, l]) => l) };
}

/** A confident model: 0.95 on `digit`. */
const confident = (digit: number) =>
  Float32Array.from({ length: 10 }, (_, i) => (i === digit ? 0.95 : 0.05 / 9));

describe('blend', () => {
  it('lets one remembered identical drawing overrule a confident model', () => {
    const out = blend(confident(1), normalize([1, 0, 0]), memory([[[1, 0, 0], 7]]), OPTIONS);
    expect(argmax(out.probabilities)).toBe(7);
    expect(out.personal).toBe(true);
    expect(out.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('changes nothing for a lone neighbour beyond the radius', () => {
    const far = [Math.cos(0.5), Math.sin(0.5), 0]; // cosine distance ≈ 0.12 > 0.1
    const p = confident(1);
    const out = blend(p, normalize([1, 0, 0]), memory([[far, 7]]), OPTIONS);
    expect(out.probabilities).toBe(p);
    expect(out.personal).toBe(false);
  });

  it('changes nothing for a lone neighbour near the radius (support below the threshold)', () => {
    const edge = [Math.cos(0.43), Math.sin(0.43), 0]; // distance ≈ 0.091: weight ≈ 0.09
    const out = blend(confident(1), normalize([1, 0, 0]), memory([[edge, 7]]), OPTIONS);
    expect(out.support).toBe(0);
    expect(argmax(out.probabilities)).toBe(1);
  });

  it('is not personal when the memory agrees with the model', () => {
    const out = blend(confident(3), normalize([0, 1, 0]), memory([[[0, 1, 0], 3]]), OPTIONS);
    expect(argmax(out.probabilities)).toBe(3);
    expect(out.personal).toBe(false);
  });

  it('leaves the model alone without a memory or an embedding', () => {
    const p = confident(4);
    expect(blend(p, null, memory([[[1, 0, 0], 7]])).probabilities).toBe(p);
    expect(blend(p, normalize([1, 0, 0]), null).probabilities).toBe(p);
  });
});

describe('nearest', () => {
  it('keeps the k nearest within the radius, nearest first', () => {
    const index = memory([
      [[1, 0.2, 0], 1],
      [[1, 0, 0], 2],
      [[0, 1, 0], 3],
      [[1, 0.1, 0], 4],
      [[1, 0.3, 0], 5],
    ]);
    const found = nearest(normalize([1, 0, 0]), index, 3, 0.5);
    expect(found.map((f) => index.labels[f.row])).toEqual([2, 4, 1]);
    expect(found[0]!.distance).toBeCloseTo(0, 6);
  });

  it('refuses a query of another width than the memory', () => {
    expect(() => nearest(new Float32Array(4), memory([[[1, 0, 0], 1]]), 3, 0.5)).toThrow(/4.*3/);
  });
});
