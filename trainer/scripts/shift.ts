import { MNIST_SIZE, PIXEL_COUNT, toMnist } from 'sync-server/contract';
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

/** 3×3 grey dilation (max filter). */
export function dilate(img: Uint8Array): Uint8Array {
  const out = new Uint8Array(PIXEL_COUNT);
  for (let y = 0; y < MNIST_SIZE; y++) {
    for (let x = 0; x < MNIST_SIZE; x++) {
      let max = 0;
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) max = Math.max(max, at(img, x + dx, y + dy));
      }
      out[y * MNIST_SIZE + x] = max;
    }
  }
  return out;
}

/** Bilinear rotation by `deg` about the image centre; outside samples are background. */
export function rotate(img: Uint8Array, deg: number): Uint8Array {
  const out = new Uint8Array(PIXEL_COUNT);
  const [cos, sin] = [Math.cos((deg * Math.PI) / 180), Math.sin((deg * Math.PI) / 180)];
  const c = (MNIST_SIZE - 1) / 2;
  for (let y = 0; y < MNIST_SIZE; y++) {
    for (let x = 0; x < MNIST_SIZE; x++) {
      // Inverse mapping: where in the source does this output pixel come from.
      const sx = cos * (x - c) + sin * (y - c) + c;
      const sy = -sin * (x - c) + cos * (y - c) + c;
      const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
      const [fx, fy] = [sx - x0, sy - y0];
      const top = at(img, x0, y0) * (1 - fx) + at(img, x0 + 1, y0) * fx;
      const bottom = at(img, x0, y0 + 1) * (1 - fx) + at(img, x0 + 1, y0 + 1) * fx;
      out[y * MNIST_SIZE + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return out;
}

function at(img: Uint8Array, x: number, y: number): number {
  if (x < 0 || y < 0 || x >= MNIST_SIZE || y >= MNIST_SIZE) return 0;
  return img[y * MNIST_SIZE + x]!;
}
