import { EmptyImageError, toMnist } from 'sync-server/contract';
import { rgbaToGray, type RgbaImage } from './image-to-gray';

export type PreprocessResult =
  { ok: true; pixels: Uint8Array } | { ok: false; empty: boolean; message: string };

/**
 * Canvas or uploaded pixels to the 28×28 the model sees, through the contract's `toMnist` (the
 * one definition of the format). Never throws: an empty image comes back with a message to show.
 */
export function preprocess(image: RgbaImage): PreprocessResult {
  try {
    return { ok: true, pixels: toMnist(rgbaToGray(image), image.width, image.height) };
  } catch (error) {
    if (error instanceof EmptyImageError) return { ok: false, empty: true, message: error.message };
    const message = error instanceof Error ? error.message : 'could not read the image';
    return { ok: false, empty: false, message };
  }
}
