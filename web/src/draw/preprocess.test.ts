import { describe, expect, it } from 'vitest';
import { centreOfMass, MNIST_SIZE, PIXEL_COUNT } from 'sync-server/contract';
import { preprocess } from './preprocess';
import type { RgbaImage } from './image-to-gray';

type Paint = (x: number, y: number) => [number, number, number, number] | null;

/** A w×h RGBA image: `paint` returns the pixel or null for the background. */
function image(w: number, h: number, background: [number, number, number, number], paint: Paint) {
  const data = new Uint8ClampedArray(w * h * 4);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) data.set(paint(x, y) ?? background, (y * w + x) * 4);
  }
  return { data, width: w, height: h } satisfies RgbaImage;
}

const TRANSPARENT: [number, number, number, number] = [0, 0, 0, 0];
const INK: [number, number, number, number] = [17, 17, 17, 255];

function pixelsOf(img: RgbaImage): Uint8Array {
  const result = preprocess(img);
  if (!result.ok) throw new Error(result.message);
  return result.pixels;
}

function border(pixels: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < MNIST_SIZE; i++) {
    out.push(pixels[i]!, pixels[PIXEL_COUNT - 1 - i]!);
    out.push(pixels[i * MNIST_SIZE]!, pixels[i * MNIST_SIZE + MNIST_SIZE - 1]!);
  }
  return out;
}

describe('preprocess (pad pixels → MNIST 28×28)', () => {
  it('keeps a centred blob centred, as bright ink on black', () => {
    const img = image(200, 200, TRANSPARENT, (x, y) =>
      (x - 100) ** 2 + (y - 100) ** 2 < 40 ** 2 ? INK : null,
    );
    const px = pixelsOf(img);
    const c = centreOfMass(px);
    expect(Math.abs(c.x - 14)).toBeLessThan(0.75);
    expect(Math.abs(c.y - 14)).toBeLessThan(0.75);
    expect(px[14 * 28 + 14]).toBe(255);
    expect(Math.max(...border(px))).toBe(0);
  });

  it('moves an off-centre stroke so its centre of mass is the middle, fitted to 20 px', () => {
    // A thick "L" in the top-left corner: its mass is off its own box centre too.
    const img = image(300, 300, TRANSPARENT, (x, y) =>
      (x >= 20 && x < 40 && y >= 10 && y < 110) || (y >= 90 && y < 110 && x >= 20 && x < 80)
        ? INK
        : null,
    );
    const px = pixelsOf(img);
    const c = centreOfMass(px);
    expect(Math.abs(c.x - 14)).toBeLessThan(0.75);
    expect(Math.abs(c.y - 14)).toBeLessThan(0.75);
    let rows = 0;
    for (let y = 0; y < 28; y++) if (px.slice(y * 28, y * 28 + 28).some((v) => v > 0)) rows++;
    expect(rows).toBeGreaterThanOrEqual(19);
    expect(rows).toBeLessThanOrEqual(21);
  });

  it('inverts a dark-on-light photo (opaque, greyish paper, some noise)', () => {
    let seed = 7;
    const noise = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 9) - 4;
    const img = image(120, 160, [0, 0, 0, 255], (x, y) => {
      const ink = x > 50 && x < 66 && y > 30 && y < 130;
      const v = (ink ? 40 : 205) + noise();
      return [v, v + 3, v - 2, 255];
    });
    const px = pixelsOf(img);
    expect(Math.max(...border(px))).toBe(0);
    expect(px[14 * 28 + 14]).toBeGreaterThan(200);
    const inked = px.filter((v) => v > 128).length;
    expect(inked).toBeLessThan(PIXEL_COUNT / 4);
  });

  it('treats light ink on a transparent background like dark ink (transparency is background)', () => {
    const paint =
      (ink: [number, number, number, number]) =>
      (x: number, y: number): [number, number, number, number] | null =>
        x > 40 && x < 60 && y > 20 && y < 80 ? ink : null;
    const dark = pixelsOf(image(100, 100, TRANSPARENT, paint(INK)));
    const light = pixelsOf(image(100, 100, TRANSPARENT, paint([250, 250, 250, 255])));
    expect(Array.from(light)).toEqual(Array.from(dark));
  });

  it('refuses an empty canvas with a message instead of guessing', () => {
    const result = preprocess(image(280, 280, TRANSPARENT, () => null));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.empty).toBe(true);
      expect(result.message).toMatch(/draw a digit/i);
    }
  });

  it('refuses a blank white photo too', () => {
    const result = preprocess(image(64, 64, [255, 255, 255, 255], () => null));
    expect(result).toMatchObject({ ok: false, empty: true });
  });
});
