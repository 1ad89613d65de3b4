import { describe, expect, it } from 'vitest';
import { MNIST_SIZE, PIXEL_COUNT } from '../src/contract';
import {
  createRng,
  randomElastic,
  randomStyle,
  randomWriter,
  writeAs,
} from '../src/contract/writers';

/** A plain vertical bar, like a 1: enough ink for every warp to move. */
function bar(): Uint8Array {
  const img = new Uint8Array(PIXEL_COUNT);
  for (let y = 6; y < 22; y++) for (let x = 12; x < 16; x++) img[y * MNIST_SIZE + x] = 255;
  return img;
}

describe('synthetic writers', () => {
  it('are the same for the same seed and differ across seeds', () => {
    const a = randomWriter(createRng(5));
    expect(randomWriter(createRng(5))).toEqual(a);
    expect(randomWriter(createRng(6))).not.toEqual(a);
    expect(writeAs(bar(), a)).toEqual(writeAs(bar(), randomWriter(createRng(5))));
  });

  it("keep the personal bench's styles: the elastic part is drawn after them", () => {
    const { elastic, ...affine } = randomWriter(createRng(11));
    expect(affine).toEqual(randomStyle(createRng(11)));
    expect(elastic).toBeDefined();
  });

  it('bend the digit with the elastic field, and only then', () => {
    const style = { rotationDeg: 0, slant: 0, aspect: 1, stroke: 0 };
    const plain = writeAs(bar(), style);
    const bent = writeAs(bar(), { ...style, elastic: randomElastic(createRng(3)) });
    expect(bent).toHaveLength(PIXEL_COUNT);
    expect(bent).not.toEqual(plain);
    expect(writeAs(bar(), style)).toEqual(plain);
  });

  it('keep the elastic displacement within about its amplitude', () => {
    const field = randomElastic(createRng(9), 1.5);
    for (const axis of [field.x, field.y]) {
      const bound = axis.reduce((sum, [amplitude]) => sum + amplitude, 0);
      expect(bound).toBeLessThanOrEqual(1.5 * 1.5);
    }
  });
});
