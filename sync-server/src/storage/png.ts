import { PNG } from 'pngjs';
import { crc32, deflateSync } from 'node:zlib';
import { MNIST_SIZE, PIXEL_COUNT } from '../contract';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// Bit depth 8, color type 0 (grayscale), deflate, adaptive filtering, no interlace.
const IHDR = pngChunk('IHDR', Buffer.from([0, 0, 0, 28, 0, 0, 0, 28, 8, 0, 0, 0, 0]));
const IEND = pngChunk('IEND', Buffer.alloc(0));
// What pngjs passes to zlib (level 9, Z_RLE), so the files are byte for byte the ones it
// wrote; a small chunk size avoids allocating zlib's 16 KiB default output buffer per file.
const DEFLATE = { level: 9, strategy: 3, chunkSize: 4096 };
const ROW = MNIST_SIZE + 1;

/**
 * Encodes 784 MNIST bytes (ink = 255) as a 28×28 8-bit grayscale PNG, every row with filter
 * "none" (the adaptive filter search costs more CPU than it saves on 28×28 digits).
 *
 * Written by hand rather than through pngjs: this runs for every stored item, and pngjs's
 * general path (a stream object, an RGBA buffer, bit packing) cost several times the
 * compression itself. The bytes are the ones pngjs writes with those options (png.test.ts).
 */
export function encodeMnistPng(pixels: Uint8Array): Buffer {
  if (pixels.length !== PIXEL_COUNT) {
    throw new RangeError(`expected ${PIXEL_COUNT} pixel bytes, got ${pixels.length}`);
  }
  const rows = new Uint8Array(ROW * MNIST_SIZE);
  for (let y = 0; y < MNIST_SIZE; y++)
    rows.set(pixels.subarray(y * MNIST_SIZE, (y + 1) * MNIST_SIZE), y * ROW + 1);
  return Buffer.concat([SIGNATURE, IHDR, pngChunk('IDAT', deflateSync(rows, DEFLATE)), IEND]);
}

// Length, type, data, and the CRC of type and data.
function pngChunk(type: string, data: Uint8Array): Buffer {
  const chunk = Buffer.alloc(data.length + 12);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write(type, 4, 'latin1');
  chunk.set(data, 8);
  chunk.writeUInt32BE(crc32(chunk.subarray(4, 8 + data.length)), 8 + data.length);
  return chunk;
}

/** Decodes a grayscale PNG back to one byte per pixel (tests and tools). */
export function decodeGrayPng(file: Buffer): { width: number; height: number; gray: Uint8Array } {
  const png = PNG.sync.read(file);
  const gray = new Uint8Array(png.width * png.height);
  // pngjs always decodes to RGBA; any channel of a gray image holds the value.
  for (let i = 0; i < gray.length; i++) gray[i] = png.data[i * 4] ?? 0;
  return { width: png.width, height: png.height, gray };
}
