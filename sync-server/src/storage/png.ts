import { PNG } from 'pngjs';
import { MNIST_SIZE, PIXEL_COUNT } from '../contract';

// pngjs color type 0 is 8-bit grayscale; with the same input type it packs our bytes as is.
const GRAY = 0;

/** Encodes 784 MNIST bytes (ink = 255) as a 28×28 8-bit grayscale PNG. */
export function encodeMnistPng(pixels: Uint8Array): Buffer {
  if (pixels.length !== PIXEL_COUNT) {
    throw new RangeError(`expected ${PIXEL_COUNT} pixel bytes, got ${pixels.length}`);
  }
  const png = new PNG({
    width: MNIST_SIZE,
    height: MNIST_SIZE,
    colorType: GRAY,
    inputColorType: GRAY,
    bitDepth: 8,
  });
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  // Filter "none": the adaptive filter search costs more CPU than it saves on 28×28 digits;
  // a small chunk size avoids allocating 32 KiB per file.
  return PNG.sync.write(png, {
    colorType: GRAY,
    inputColorType: GRAY,
    bitDepth: 8,
    filterType: 0,
    deflateChunkSize: 4096,
  });
}

/** Decodes a grayscale PNG back to one byte per pixel (tests and tools). */
export function decodeGrayPng(file: Buffer): { width: number; height: number; gray: Uint8Array } {
  const png = PNG.sync.read(file);
  const gray = new Uint8Array(png.width * png.height);
  // pngjs always decodes to RGBA; any channel of a gray image holds the value.
  for (let i = 0; i < gray.length; i++) gray[i] = png.data[i * 4] ?? 0;
  return { width: png.width, height: png.height, gray };
}
