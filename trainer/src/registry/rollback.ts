import * as tf from '@tensorflow/tfjs';
import { MNIST_SIZE, type ManifestVersion } from 'sync-server/contract';
import { withLock } from './lock';
import { readManifest, writeManifest } from './manifest-store';
import { loadVersion } from './versions';

/**
 * Points `current` at a kept version, only after that version loads and answers a forward
 * pass with `[1, 10]` probabilities; a broken folder leaves the manifest untouched.
 */
export async function rollback(modelsDir: string, version: string): Promise<ManifestVersion> {
  return withLock(modelsDir, async () => {
    const manifest = await readManifest(modelsDir);
    if (!manifest) throw new Error(`no manifest in ${modelsDir}`);
    const entry = manifest.versions.find((v) => v.version === version);
    if (!entry) {
      const kept = manifest.versions.map((v) => v.version).join(', ');
      throw new Error(`version ${version} is not kept; kept: ${kept}`);
    }
    const model = await loadVersion(modelsDir, version);
    try {
      checkAnswers(model, version);
    } finally {
      model.dispose();
    }
    if (manifest.current !== version) {
      await writeManifest(modelsDir, { ...manifest, current: version });
    }
    return entry;
  });
}

function checkAnswers(model: tf.LayersModel, version: string): void {
  const probs = tf.tidy(() => {
    const out = model.predict(tf.zeros([1, MNIST_SIZE, MNIST_SIZE, 1])) as tf.Tensor;
    if (out.shape.join() !== '1,10') {
      throw new Error(`version ${version} answers shape [${out.shape.join(', ')}], not [1, 10]`);
    }
    return Array.from(out.dataSync());
  });
  const sum = probs.reduce((a, b) => a + b, 0);
  if (!probs.every(Number.isFinite) || Math.abs(sum - 1) > 1e-3) {
    throw new Error(`version ${version} does not answer probabilities (sum ${sum})`);
  }
}
