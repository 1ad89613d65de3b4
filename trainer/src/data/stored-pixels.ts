import {
  EmptyImageError,
  FEEDBACK_SOURCE,
  MNIST_SIZE,
  parsePngFileName,
  toMnist,
  UNLISTED_SOURCE,
  type MetadataEntry,
} from 'sync-server/contract';
import { decodePngGray } from './png-gray';

/**
 * Whether a stored PNG is already in the model's pixel format. The app runs `toMnist` in the
 * browser and the server stores those bytes as they came, so this system's answers (source
 * `web_feedback`, or an unlisted PNG with our `_<id8>` name) must be read as stored: `toMnist`
 * is not idempotent (a second pass makes strokes bolder), and training on twice-normalized
 * digits teaches the model digits unlike the ones it is later shown. Only the original
 * system's files, un-normalized canvas resizes, need the pass.
 */
export function isStoredNormalized(entry: MetadataEntry): boolean {
  if (entry.source === FEEDBACK_SOURCE) return true;
  return entry.source === UNLISTED_SOURCE && parsePngFileName(entry.filename)?.id8 != null;
}

/** The model's 784 pixels of one stored PNG. Throws when it has no ink. */
export function pixelsOfStoredPng(buffer: Buffer, entry: MetadataEntry): Uint8Array {
  const { gray, width, height } = decodePngGray(buffer);
  // A normalized answer is 28×28 by the contract; anything else is treated as raw.
  const asStored = isStoredNormalized(entry) && width === MNIST_SIZE && height === MNIST_SIZE;
  if (asStored) {
    if (!gray.some((v) => v > 0)) throw new Error('no ink in the image');
    return gray;
  }
  try {
    return toMnist(gray, width, height);
  } catch (err) {
    if (err instanceof EmptyImageError) throw new Error('no ink in the image', { cause: err });
    throw err;
  }
}
