import { tensor4d, tidy, type Tensor } from '@tensorflow/tfjs-core';
import { MNIST_SIZE, PIXEL_COUNT } from 'sync-server/contract';

/** The part of a tfjs LayersModel that inference needs. */
export interface Predictable {
  predict(x: Tensor): Tensor | Tensor[];
}

/** A model that can also give its penultimate layer (see `InferenceModel` in fold.ts). */
export interface Embeddable {
  predict(x: Tensor): Tensor;
  readonly predictWithEmbedding: ((x: Tensor) => Tensor) | null;
}

/** One image's probabilities and, when the model gives it, its penultimate-layer embedding. */
export interface ModelOutput {
  probabilities: Float32Array;
  embedding: Float32Array | null;
}

const CLASSES = 10;

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

/**
 * The probabilities and the embedding of one image, read back in one go (one tensor holds
 * both); a model without an embedding gives its probabilities alone.
 */
export async function predictWithEmbedding(
  model: Embeddable,
  pixels: Uint8Array,
): Promise<ModelOutput> {
  const run = model.predictWithEmbedding;
  if (!run) return { probabilities: await predictProbabilities(model, pixels), embedding: null };
  const output = tidy(() => run(toInput(pixels)));
  try {
    const values = await output.data();
    return {
      probabilities: Float32Array.from(values.subarray(0, CLASSES)),
      embedding: Float32Array.from(values.subarray(CLASSES)),
    };
  } finally {
    output.dispose();
  }
}
