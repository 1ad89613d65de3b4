import * as tf from '@tensorflow/tfjs';
import { publishVersion } from '../../src/registry';

/**
 * Publishes `model` as an untrained base version (no parent, a placeholder MNIST accuracy of
 * 0.1) for a retrain test to start from, then frees it.
 */
export async function publishBase(
  modelsDir: string,
  model: tf.LayersModel,
  seed: number,
): Promise<void> {
  await publishVersion({
    modelsDir,
    model,
    parent: null,
    trainedOn: { subsets: [], samples: 0 },
    metrics: { mnistTestAccuracy: 0.1 },
    training: { kind: 'base', epochs: 0, seed, backend: tf.getBackend(), durationMs: 1 },
    startedAt: new Date(),
  });
  model.dispose();
}
