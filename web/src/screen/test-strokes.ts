import type { RgbaImage } from '../draw/image-to-gray';

export const PAD = 336;
const PEN = 24;

/**
 * Rasterizes strokes (points in pad fractions) the way the pad paints them: dark round-capped
 * lines of the pad's pen width on a transparent canvas (test helper).
 */
export function padImage(strokes: [number, number][][]): RgbaImage {
  const data = new Uint8ClampedArray(PAD * PAD * 4);
  const segments = strokes.flatMap((s) =>
    s.map((p, i) => [p, s[Math.min(i + 1, s.length - 1)]!] as const),
  );
  for (let y = 0; y < PAD; y++) {
    for (let x = 0; x < PAD; x++) {
      if (!segments.some(([a, b]) => near(x + 0.5, y + 0.5, a, b))) continue;
      data.set([17, 24, 39, 255], (y * PAD + x) * 4);
    }
  }
  return { data, width: PAD, height: PAD };
}

function near(x: number, y: number, a: readonly number[], b: readonly number[]): boolean {
  const [ax, ay] = [a[0]! * PAD, a[1]! * PAD];
  const [dx, dy] = [b[0]! * PAD - ax, b[1]! * PAD - ay];
  const len = dx * dx + dy * dy;
  const t = len ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / len)) : 0;
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= PEN / 2;
}

/** A zigzag of `rows` sweeps across most of the pad: a scribble. */
export function zigzag(rows: number): [number, number][] {
  return Array.from({ length: rows + 1 }, (_, i) => [
    i % 2 ? 0.92 : 0.08,
    0.08 + (0.84 * i) / rows,
  ]);
}
