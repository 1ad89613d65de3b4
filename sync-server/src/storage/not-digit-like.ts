import { MNIST_SIZE } from '../contract';

// Pixels at or above this are ink (MNIST's anti-aliased edges fall below it).
const INK = 128;
/** Fewer ink pixels than this is a blank pad or a speck, not a stroke. */
export const MIN_INK_PIXELS = 20;
/** More ink pixels than this fills most of the 20×20 box the digit is fitted to: a scribble. */
export const MAX_INK_PIXELS = 300;
/** A box at least this wide and tall ... */
export const BLOB_MIN_SIDE = 10;
/** ... that ink fills to this fraction is a blob: a dot blown up to a disc, a smear. */
export const BLOB_MIN_FILL = 0.6;

/**
 * The server's own check that 28×28 MNIST-format pixels (ink = 255, already normalized by the
 * client) could be a handwritten digit. Normalization stretches any mark to 20 px, so a dot
 * arrives as a filled disc and a scribble as a filled square; handwriting is strokes, which
 * leave most of their bounding box empty. Not digit-like when, counting pixels ≥ 128 as ink:
 * - fewer than `MIN_INK_PIXELS` ink pixels (blank, a speck), or
 * - more than `MAX_INK_PIXELS` (ink touching everything), or
 * - a bounding box of ink at least `BLOB_MIN_SIDE` on both sides that ink fills to
 *   `BLOB_MIN_FILL` or more (a disc or a smear; a `1` is narrow and never qualifies).
 * MNIST's own digits almost never trip it (test: not-digit-like.test.ts), so an honest answer
 * is not held back. The item is still stored; the flag only holds it for review.
 */
export function isNotDigitLike(pixels: Uint8Array): boolean {
  let ink = 0;
  let x0 = MNIST_SIZE;
  let y0 = MNIST_SIZE;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < MNIST_SIZE; y++) {
    for (let x = 0; x < MNIST_SIZE; x++) {
      if (pixels[y * MNIST_SIZE + x]! < INK) continue;
      ink++;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
  }
  if (ink < MIN_INK_PIXELS || ink > MAX_INK_PIXELS) return true;
  const width = x1 - x0 + 1;
  const height = y1 - y0 + 1;
  return width >= BLOB_MIN_SIDE && height >= BLOB_MIN_SIDE && ink / (width * height) >= BLOB_MIN_FILL;
}
