// Test digits for the hand (hand.test.ts, personal-memory.test.ts): bars, leaning or upright.
import { MNIST_SIZE, toMnist } from 'sync-server/contract';
import { writeAs } from 'sync-server/writers';
import type { LabelledPixels } from './hand';

/** A "1": an upright bar, normalized like every input. */
export function bar(width = 3): Uint8Array {
  const img = new Uint8Array(MNIST_SIZE * MNIST_SIZE);
  for (let y = 4; y < 24; y++) {
    for (let x = 14 - width; x < 14 + width; x++) img[y * MNIST_SIZE + x] = 255;
  }
  return toMnist(img, MNIST_SIZE, MNIST_SIZE);
}

/** Degrees the ink's main axis leans from vertical (second moments). */
export function lean(img: Uint8Array): number {
  let [m, mx, my] = [0, 0, 0];
  for (let i = 0; i < img.length; i++) {
    const v = img[i]!;
    m += v;
    mx += v * (i % MNIST_SIZE);
    my += v * Math.floor(i / MNIST_SIZE);
  }
  [mx, my] = [mx / m, my / m];
  let [xx, yy, xy] = [0, 0, 0];
  for (let i = 0; i < img.length; i++) {
    const v = img[i]!;
    const [dx, dy] = [(i % MNIST_SIZE) - mx, Math.floor(i / MNIST_SIZE) - my];
    [xx, yy, xy] = [xx + v * dx * dx, yy + v * dy * dy, xy + v * dx * dy];
  }
  return (Math.atan2(2 * xy, yy - xx) / 2) * (180 / Math.PI);
}

export const leaning = (deg: number, n: number): LabelledPixels[] =>
  Array.from({ length: n }, (_, i) => ({
    pixels: writeAs(bar(2 + (i % 3)), { rotationDeg: deg, slant: 0, aspect: 1, stroke: 0 }),
    label: 1,
  }));
