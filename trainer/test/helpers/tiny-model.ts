import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The cpu backend: fast enough for tiny models and needs no wasm files. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/**
 * A model with the contract's I/O (`[n,28,28,1]` → `[n,10]` softmax), small enough that a
 * test can fit it in well under a second.
 */
export function tinyModel(seed = 1): tf.LayersModel {
  const model = tf.sequential();
  model.add(tf.layers.averagePooling2d({ inputShape: [28, 28, 1], poolSize: 4 }));
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  );
  return model;
}

/**
 * A `tinyModel` that says 0 whatever it sees: logit 10 for 0, 0 for the rest, so p(0) ≈ 0.9996.
 * As a live model it disputes every answer but 0.
 */
export function sureOfZero(): tf.LayersModel {
  const model = tinyModel();
  // setWeights copies the values in; the tensors given are ours to free.
  const weights = [
    tf.zerosLike(model.getWeights()[0]!),
    tf.tensor1d([10, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  ];
  model.setWeights(weights);
  tf.dispose(weights);
  return model;
}

/**
 * One strided conv and a softmax layer: learns MNIST to ~88% from 1,000 samples in about a
 * second, so an end-to-end retrain test starts from a model that means something.
 */
export function smallConvModel(seed = 1): tf.LayersModel {
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 4,
      kernelSize: 5,
      strides: 2,
      activation: 'relu',
      kernelInitializer: tf.initializers.heNormal({ seed }),
    }),
  );
  model.add(tf.layers.flatten());
  model.add(
    tf.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
    }),
  );
  return model;
}

/** A fresh temp folder and its cleanup. */
export async function tempDir(prefix = 'trainer-test-'): Promise<{
  dir: string;
  cleanup: () => Promise<void>;
}> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}
