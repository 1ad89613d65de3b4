import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend';
import { createRng } from '../train/rng';
import { loadMnist } from './mnist';
import { augmentBatch } from './augment';

// tf.image.transform on the cpu backend warps only the first image of a batch; run on wasm.
beforeAll(async () => {
  await initBackend({ prefer: 'wasm', quiet: true });
});

function digits(n: number): tf.Tensor4D {
  const test = loadMnist('test');
  return tf.tidy(() =>
    tf
      .tensor4d(test.images.subarray(0, n * 784), [n, 28, 28, 1], 'int32')
      .toFloat()
      .div(255),
  ) as tf.Tensor4D;
}

describe('augmentBatch', () => {
  it('keeps shape and the [0, 1] range, changes every image, leaks nothing', () => {
    const x = digits(8);
    const before = tf.memory().numTensors;
    const y = augmentBatch(x, { random: createRng(1) });
    expect(y.shape).toEqual([8, 28, 28, 1]);
    const [lo, hi] = tf.tidy(() => [y.min().dataSync()[0], y.max().dataSync()[0]]);
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThanOrEqual(1);
    const diffs = tf.tidy(() => y.sub(x).abs().sum([1, 2, 3]).arraySync() as number[]);
    diffs.forEach((d) => expect(d).toBeGreaterThan(1));
    y.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
  });

  it('passes masked-out samples through unchanged and keeps ink mass plausible', () => {
    const x = digits(4);
    const y = augmentBatch(x, { mask: [true, false, true, false], random: createRng(2) });
    const diffs = tf.tidy(() => y.sub(x).abs().sum([1, 2, 3]).arraySync() as number[]);
    expect(diffs[1]).toBeLessThan(1e-4);
    expect(diffs[3]).toBeLessThan(1e-4);
    const mass = tf.tidy(() => [x.sum().dataSync()[0] ?? 0, y.sum().dataSync()[0] ?? 0]);
    expect(mass[1]).toBeGreaterThan((mass[0] ?? 0) * 0.5);
    expect(mass[1]).toBeLessThan((mass[0] ?? 0) * 2);
    tf.dispose([x, y]);
  });

  it('keeps every digit on the canvas (labels are never touched)', () => {
    const x = digits(16);
    const y = augmentBatch(x, { random: createRng(3) });
    const inkPerImage = tf.tidy(() => y.sum([1, 2, 3]).arraySync() as number[]);
    inkPerImage.forEach((m) => expect(m).toBeGreaterThan(20));
    tf.dispose([x, y]);
  });

  it('is reproducible for a seeded random source', () => {
    const x = digits(2);
    const [a, b] = [
      augmentBatch(x, { random: createRng(9) }),
      augmentBatch(x, { random: createRng(9) }),
    ];
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    tf.dispose([x, a, b]);
  });
});
