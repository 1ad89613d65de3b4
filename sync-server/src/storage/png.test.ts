import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeGrayPng, encodeMnistPng } from './png';

// The encoder pngjs replaced: the files must stay byte for byte what it wrote.
function pngjsEncode(pixels: Uint8Array): Buffer {
  const options = { colorType: 0, inputColorType: 0, bitDepth: 8 } as const;
  const png = new PNG({ width: 28, height: 28, ...options });
  png.data = Buffer.from(pixels);
  return PNG.sync.write(png, { ...options, filterType: 0, deflateChunkSize: 4096 });
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('encodeMnistPng', () => {
  it('writes the bytes pngjs wrote, and they decode back to the pixels', () => {
    const random = seeded(7);
    const images = [
      new Uint8Array(784),
      new Uint8Array(784).fill(255),
      new Uint8Array(784).map((_, i) => (i * 7) % 256),
      ...Array.from({ length: 20 }, () =>
        new Uint8Array(784).map(() => (random() < 0.2 ? Math.floor(random() * 256) : 0)),
      ),
    ];
    for (const pixels of images) {
      const png = encodeMnistPng(pixels);
      expect(png.equals(pngjsEncode(pixels))).toBe(true);
      const back = decodeGrayPng(png);
      expect([back.width, back.height]).toEqual([28, 28]);
      expect(Buffer.from(back.gray).equals(Buffer.from(pixels))).toBe(true);
    }
  });

  it('refuses anything but 784 bytes', () => {
    expect(() => encodeMnistPng(new Uint8Array(783))).toThrow(RangeError);
  });
});
