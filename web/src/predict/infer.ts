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
  return toBatch([pixels]);
}

/** Several images of 784 bytes to one input batch: [n, 28, 28, 1]. */
export function toBatch(images: readonly Uint8Array[]): Tensor {
  const values = new Float32Array(images.length * PIXEL_COUNT);
  images.forEach((pixels, n) => {
    if (pixels.length !== PIXEL_COUNT) {
      throw new RangeError(`expected ${PIXEL_COUNT} pixels, got ${pixels.length}`);
    }
    const base = n * PIXEL_COUNT;
    for (let i = 0; i < PIXEL_COUNT; i++) values[base + i] = pixels[i]! / 255;
  });
  return tensor4d(values, [images.length, MNIST_SIZE, MNIST_SIZE, 1]);
}

/**
 * The model's probabilities for each of `images`, in one batch. Every intermediate tensor lives
 * inside `tidy`; the one output that escapes it is disposed once its values are read.
 */
export async function classifyBatch(
  model: Predictable,
  images: readonly Uint8Array[],
): Promise<Float32Array[]> {
  if (!images.length) return [];
  const output = tidy(() => {
    const y = model.predict(toBatch(images));
    return Array.isArray(y) ? y[0]! : y;
  });
  try {
    const values = await output.data();
    const width = values.length / images.length;
    return images.map((_, n) => Float32Array.from(values.subarray(n * width, n * width + CLASSES)));
  } finally {
    output.dispose();
  }
}

/** The model's 10 probabilities for one image. */
export async function predictProbabilities(
  model: Predictable,
  pixels: Uint8Array,
): Promise<Float32Array> {
  return (await classifyBatch(model, [pixels]))[0]!;
}

/** The one output tensor of a run: `[1, 10 + D]` with an embedding, `[1, 10]` without. */
function runOnce(model: Embeddable, pixels: Uint8Array): Tensor {
  const run = model.predictWithEmbedding;
  return tidy(() => (run ? run(toInput(pixels)) : model.predict(toInput(pixels))));
}

/** Copies of the probabilities and the embedding (null for a model without one). */
function split(values: Float32Array, embedded: boolean): ModelOutput {
  return {
    probabilities: values.slice(0, CLASSES),
    embedding: embedded ? values.slice(CLASSES) : null,
  };
}

/**
 * The probabilities and the embedding of one image, read back in one go (one tensor holds
 * both); a model without an embedding gives its probabilities alone.
 */
export async function predictWithEmbedding(
  model: Embeddable,
  pixels: Uint8Array,
): Promise<ModelOutput> {
  const output = runOnce(model, pixels);
  try {
    return split((await output.data()) as Float32Array, model.predictWithEmbedding !== null);
  } finally {
    output.dispose();
  }
}

/**
 * `predictWithEmbedding` without an await, for backends whose tensors are in CPU memory (wasm,
 * cpu), where reading back is a plain copy. On WebGL, `dataSync` would stall on the GPU.
 */
export function predictWithEmbeddingSync(model: Embeddable, pixels: Uint8Array): ModelOutput {
  const output = runOnce(model, pixels);
  try {
    return split(output.dataSync() as Float32Array, model.predictWithEmbedding !== null);
  } finally {
    output.dispose();
  }
}
