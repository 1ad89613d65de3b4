import { tensor4d, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { MNIST_SIZE, PIXEL_COUNT } from 'sync-server/contract';

/** The part of a tfjs LayersModel that inference needs. */
export interface Predictable {
  predict(x: Tensor): Tensor | Tensor[];
}

/** 784 MNIST bytes (ink = 255) to the model input: [1, 28, 28, 1] float32, pixel / 255. */
export function toInput(pixels: Uint8Array): Tensor {
  if (pixels.length !== PIXEL_COUNT) {
    throw new RangeError(`expected ${PIXEL_COUNT} pixels, got ${pixels.length}`);
  }
  const values = new Float32Array(PIXEL_COUNT);
  for (let i = 0; i < PIXEL_COUNT; i++) values[i] = pixels[i]! / 255;
  return tensor4d(values, [1, MNIST_SIZE, MNIST_SIZE, 1]);
}

/**
 * The model's 10 probabilities for one image. Every intermediate tensor lives inside `tidy`;
 * the one output that escapes it is disposed once its values are read.
 */
export async function predictProbabilities(
  model: Predictable,
  pixels: Uint8Array,
): Promise<Float32Array> {
  const output = tidy(() => {
    const y = model.predict(toInput(pixels));
    return Array.isArray(y) ? y[0]! : y;
  });
  try {
    const values = await output.data();
    return Float32Array.from(values);
  } finally {
    output.dispose();
  }
}
