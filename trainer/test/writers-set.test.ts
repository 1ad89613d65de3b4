import { describe, expect, it } from 'vitest';
import { PIXEL_COUNT } from 'sync-server/contract';
import { randomWriter, createRng } from 'sync-server/writers';
import { scaleStyle, writersSets } from '../scripts/writers-set';
import type { SampleSet } from '../src/train';

/** 200 digits with some ink each, labelled by index. */
function digits(): SampleSet {
  const count = 200;
  const images = new Uint8Array(count * PIXEL_COUNT);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    for (let p = 300; p < 500; p++) images[i * PIXEL_COUNT + p] = (i * 37 + p) % 256;
    labels[i] = i % 10;
  }
  return { images, labels, count };
}

describe('writersSets', () => {
  const options = { writers: 4, answers: 5, judged: 8, seed: 3 };

  it('gives every writer its answers and its judged digits, the same on every run', () => {
    const a = writersSets(digits(), options);
    expect(a.feedback.count).toBe(20);
    expect(a.judged.count).toBe(32);
    expect(a.hands).toHaveLength(4);
    expect(writersSets(digits(), options)).toEqual(a);
  });

  it('takes answers from the first half and judged digits from the second, with their labels', () => {
    const test = digits();
    // A distinct label per half shows where each digit came from.
    test.labels.fill(1, 0, 100);
    test.labels.fill(2, 100);
    const { feedback, judged } = writersSets(test, options);
    expect(new Set(feedback.labels)).toEqual(new Set([1]));
    expect(new Set(judged.labels)).toEqual(new Set([2]));
  });

  it('refuses more writers than the digits allow', () => {
    expect(() => writersSets(digits(), { ...options, writers: 30 })).toThrow(/exceed/);
  });

  it('draws the same writers closer to MNIST at a lower strength', () => {
    const full = writersSets(digits(), options);
    const half = writersSets(digits(), { ...options, strength: 0.5 });
    expect(half.feedback.labels).toEqual(full.feedback.labels);
    expect(half.feedback.images).not.toEqual(full.feedback.images);
    expect(writersSets(digits(), { ...options, strength: 1 })).toEqual(full);
  });
});

describe('scaleStyle', () => {
  it("scales the geometry's distance from MNIST and the elastic amplitudes, not the stroke", () => {
    const style = randomWriter(createRng(5));
    const half = scaleStyle(style, 0.5);
    expect(half.rotationDeg).toBeCloseTo(style.rotationDeg / 2);
    expect(half.slant).toBeCloseTo(style.slant / 2);
    expect(half.aspect - 1).toBeCloseTo((style.aspect - 1) / 2);
    expect(half.stroke).toBe(style.stroke);
    expect(half.elastic!.x.map(([a]) => a)).toEqual(style.elastic!.x.map(([a]) => a / 2));
    expect(half.elastic!.y.map(([, fx, fy, p]) => [fx, fy, p])).toEqual(
      style.elastic!.y.map(([, fx, fy, p]) => [fx, fy, p]),
    );
    expect(scaleStyle(style, 1)).toBe(style);
  });
});
