import { EmptyImageError, toMnist } from 'sync-server/contract';
import { rgbaToGray, type RgbaImage } from './image-to-gray';

export type PreprocessResult =
  { ok: true; pixels: Uint8Array } | { ok: false; empty: boolean; message: string };

/**
 * Canvas or uploaded pixels to the 28×28 the model sees, through the contract's `toMnist` (the
 * one definition of the format). Never throws: an empty image comes back with a message to show.
 */
export function preprocess(image: RgbaImage): PreprocessResult {
  let gray: Uint8Array;
  try {
    gray = rgbaToGray(image);
  } catch (error) {
    return { ok: false, empty: false, message: errorText(error) };
  }
  return preprocessGray(gray, image.width, image.height);
}

/** `preprocess` for an image already in grayscale (the page screens it first). */
export function preprocessGray(gray: Uint8Array, width: number, height: number): PreprocessResult {
  try {
    return { ok: true, pixels: toMnist(gray, width, height) };
  } catch (error) {
    if (error instanceof EmptyImageError) return { ok: false, empty: true, message: error.message };
    return { ok: false, empty: false, message: errorText(error) };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : 'could not read the image';
}
