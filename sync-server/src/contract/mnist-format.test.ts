import { describe, expect, it } from 'vitest';
import { centreOfMass, EmptyImageError, toMnist } from './mnist-format';

/** A w×h image of `bg` with a filled rectangle of `ink`. */
function image(w: number, h: number, rect: [number, number, number, number], ink = 255, bg = 0) {
  const px = new Uint8Array(w * h).fill(bg);
  const [x0, y0, rw, rh] = rect;
  for (let y = y0; y < y0 + rh; y++) for (let x = x0; x < x0 + rw; x++) px[y * w + x] = ink;
  return px;
}

function box(px: Uint8Array) {
  let x0 = 28,
    y0 = 28,
    x1 = -1,
    y1 = -1;
  px.forEach((v, i) => {
    if (v < 64) return;
    const x = i % 28,
      y = Math.floor(i / 28);
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y);
  });
  return { w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

describe('toMnist', () => {
  it('keeps a centred blob centred and fits it to 20 px', () => {
    const out = toMnist(image(280, 280, [100, 100, 80, 80]), 280, 280);
    const c = centreOfMass(out);
    expect(c.x).toBeCloseTo(14, 0);
    expect(c.y).toBeCloseTo(14, 0);
    expect(box(out)).toEqual({ w: 20, h: 20 });
    expect(Math.max(...out)).toBe(255);
  });

  it('moves an off-centre stroke to the centre of mass', () => {
    const out = toMnist(image(200, 200, [10, 150, 12, 40]), 200, 200);
    const c = centreOfMass(out);
    expect(Math.abs(c.x - 14)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(c.y - 14)).toBeLessThanOrEqual(0.5);
    expect(box(out).h).toBe(20);
    expect(box(out).w).toBe(6);
  });

  it('inverts a dark-on-light photo and drops its background level', () => {
    const photo = image(100, 120, [30, 20, 40, 80], 40, 220);
    const out = toMnist(photo, 100, 120);
    expect(out[0]).toBe(0);
    expect(out[14 * 28 + 14]).toBe(255);
  });

  it('refuses an empty or near-empty canvas with a message', () => {
    expect(() => toMnist(new Uint8Array(100 * 100), 100, 100)).toThrow(EmptyImageError);
    expect(() => toMnist(new Uint8Array(100 * 100).fill(250), 100, 100)).toThrow(/no ink/);
    expect(() => toMnist(image(50, 50, [10, 10, 5, 5], 10), 50, 50)).toThrow(EmptyImageError);
  });

  it('keeps ink that touches the bottom-right edge when the fit scale is not whole', () => {
    // 8×22 bar in the corner: scaled by 20/22, float error once read a row past the image.
    const out = toMnist(image(28, 28, [20, 6, 8, 22]), 28, 28);
    expect(box(out).h).toBe(20);
    expect(Math.max(...out)).toBe(255);
  });

  it('names the mismatch when the size is wrong', () => {
    expect(() => toMnist(new Uint8Array(10), 4, 4)).toThrow(/expected 16 pixels for 4×4, got 10/);
  });

  it('leaves an already-MNIST image nearly unchanged', () => {
    const src = image(28, 28, [4, 4, 20, 20]);
    const out = toMnist(src, 28, 28);
    let diff = 0;
    out.forEach((v, i) => (diff += Math.abs(v - src[i]!)));
    expect(diff).toBe(0);
  });
});
