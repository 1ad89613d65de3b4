import { MNIST_SIZE, PIXEL_COUNT } from '../contract';

// Pixels at or above this are ink (MNIST's anti-aliased edges fall below it).
const INK = 128;
/** Fewer ink pixels than this: a blank pad (a speck arrives blown up, see below). */
export const MIN_INK_PIXELS = 12;
/** More ink pixels than this fills most of the 20×20 box the digit is fitted to: a scribble. */
export const MAX_INK_PIXELS = 320;
/** Erosions (by one pixel, 8-neighbourhood) that wear away any pen stroke ... */
export const EROSIONS = 4;
/** ... and the ink left after them that marks a solid blob. */
export const MIN_CORE_PIXELS = 20;

/**
 * The server's own check that 28×28 MNIST-format pixels (ink = 255, already normalized by the
 * client) could be a handwritten digit. Normalization stretches any mark to 20 px, so a dot
 * arrives as a filled disc and a scribble as a filled square, while handwriting is strokes a
 * few pixels wide. Counting pixels ≥ 128 as ink, an image is not digit-like when
 * - it has fewer than `MIN_INK_PIXELS` ink pixels (blank), or
 * - more than `MAX_INK_PIXELS` (ink touching everything), or
 * - `MIN_CORE_PIXELS` or more survive `EROSIONS` erosions (a pixel survives one when it and its
 *   8 neighbours are ink): a solid blob at least 9 px across, like a blown-up dot or a smear.
 *   Strokes of MNIST's width vanish by then.
 * MNIST's own test digits practically never trip it (not-digit-like.test.ts), so honest
 * answers are not held back; a flagged item is still stored and only waits for review.
 */
export function isNotDigitLike(pixels: Uint8Array): boolean {
  let mask: Uint8Array = new Uint8Array(PIXEL_COUNT);
  let ink = 0;
  for (let i = 0; i < PIXEL_COUNT; i++) {
    if (pixels[i]! < INK) continue;
    mask[i] = 1;
    ink++;
  }
  if (ink < MIN_INK_PIXELS || ink > MAX_INK_PIXELS) return true;
  for (let e = 0; e < EROSIONS; e++) mask = erode(mask);
  return mask.reduce((sum, v) => sum + v, 0) >= MIN_CORE_PIXELS;
}

// Keeps the ink pixels whose 8 neighbours are all ink (the border counts as background).
function erode(mask: Uint8Array): Uint8Array {
  const out = new Uint8Array(PIXEL_COUNT);
  for (let y = 1; y < MNIST_SIZE - 1; y++) {
    for (let x = 1; x < MNIST_SIZE - 1; x++) {
      let all = 1;
      for (let dy = -1; dy <= 1 && all; dy++)
        for (let dx = -1; dx <= 1 && all; dx++) all = mask[(y + dy) * MNIST_SIZE + x + dx]!;
      out[y * MNIST_SIZE + x] = all;
    }
  }
  return out;
}
