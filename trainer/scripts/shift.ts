import { MNIST_SIZE, PIXEL_COUNT, toMnist } from 'sync-server/contract';
import { dilate, rotate } from 'sync-server/writers';
import { createRng, type SampleSet } from '../src/train';

export interface ShiftOptions {
  /** Rotation magnitude range in degrees; the sign is random. */
  minDeg: number;
  maxDeg: number;
  /** 3×3 grey dilations applied (each thickens strokes by about 2 px). */
  dilations: number;
  seed: number;
}

/** A distribution shift the base model was not trained for: thicker strokes, tilted more. */
export const DEFAULT_SHIFT: ShiftOptions = { minDeg: 15, maxDeg: 30, dilations: 1, seed: 7 };

/**
 * A shifted copy of `set`: each digit is dilated, rotated about the centre and then put
 * through the contract's `toMnist`, as any image reaching the model is.
 */
export function shiftSet(set: SampleSet, options: ShiftOptions = DEFAULT_SHIFT): SampleSet {
  const random = createRng(options.seed);
  const images = new Uint8Array(set.count * PIXEL_COUNT);
  for (let i = 0; i < set.count; i++) {
    let img: Uint8Array = set.images.slice(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT);
    for (let d = 0; d < options.dilations; d++) img = dilate(img);
    const magnitude = options.minDeg + random() * (options.maxDeg - options.minDeg);
    img = rotate(img, random() < 0.5 ? -magnitude : magnitude);
    images.set(toMnist(img, MNIST_SIZE, MNIST_SIZE), i * PIXEL_COUNT);
  }
  return { images, labels: set.labels.slice(0, set.count), count: set.count };
}
