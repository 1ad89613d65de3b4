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
  let ink = 0;
  for (let i = 0; i < PIXEL_COUNT; i++) if (pixels[i]! >= INK) ink++;
  if (ink < MIN_INK_PIXELS || ink > MAX_INK_PIXELS) return true;
  return corePixels(pixels) >= MIN_CORE_PIXELS;
}

// Eroding `EROSIONS` times by the 3×3 square (the border counting as background) keeps
// exactly the pixels whose (2·EROSIONS+1)² square lies inside the image and is all ink. That
// square is found in two passes of run lengths, rows then columns, instead of repeated
// erosions (this runs for every stored item, on the ingest path).
function corePixels(pixels: Uint8Array): number {
  const side = 2 * EROSIONS + 1;
  // full[y * MNIST_SIZE + x]: the `side` pixels of row y centred on x are all ink.
  const full = new Uint8Array(PIXEL_COUNT);
  for (let y = 0; y < MNIST_SIZE; y++) {
    let run = 0;
    for (let x = 0; x < MNIST_SIZE; x++) {
      run = pixels[y * MNIST_SIZE + x]! >= INK ? run + 1 : 0;
      if (run >= side) full[y * MNIST_SIZE + x - EROSIONS] = 1;
    }
  }
  let cores = 0;
  for (let x = 0; x < MNIST_SIZE; x++) {
    let run = 0;
    for (let y = 0; y < MNIST_SIZE; y++) {
      run = full[y * MNIST_SIZE + x] ? run + 1 : 0;
      if (run >= side) cores++;
    }
  }
  return cores;
}
