// The committed live model, loaded in Node from models/ and folded exactly as the app folds it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { io, ready, setBackend } from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { readManifest } from 'sync-server/registry';
import { foldForInference, type InferenceModel } from '../../src/predict/fold';
import { toBatch } from '../../src/predict/infer';
import type { View } from './stream';

const CLASSES = 10;
const BATCH = 128;

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
}

export async function loadLiveModel(
  modelsDir: string,
): Promise<{ version: string; model: InferenceModel }> {
  // wasm when it starts (the hand fits run the model often, and cpu is the slow one), else cpu.
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await setBackend('wasm').catch(() => false))) await setBackend('cpu');
  await ready();
  const manifest = await readManifest(modelsDir);
  if (!manifest) throw new Error(`no manifest in ${modelsDir}`);
  const dir = path.join(modelsDir, manifest.current);
  const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8')) as ModelJson;
  const shards = json.weightsManifest
    .flatMap((g) => g.paths)
    .map((p) => readFileSync(path.join(dir, p)));
  const weightData = Buffer.concat(shards);
  const layers = await loadLayersModel(
    io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest.flatMap((g) => g.weights),
      weightData: weightData.buffer.slice(
        weightData.byteOffset,
        weightData.byteOffset + weightData.length,
      ),
    }),
  );
  const model = foldForInference(layers);
  if (!model.predictWithEmbedding)
    throw new Error(`model ${manifest.current} did not fold: no embedding`);
  return { version: manifest.current, model };
}

/** Probabilities and embeddings of `images` (28×28 bytes each), in batches. */
export async function outputs(model: InferenceModel, images: Uint8Array[]): Promise<View[]> {
  const run = model.predictWithEmbedding!;
  const count = images.length;
  const digits: View[] = [];
  for (let start = 0; start < count; start += BATCH) {
    const n = Math.min(BATCH, count - start);
    const x = toBatch(images.slice(start, start + n));
    const y = run(x);
    const out = await y.data();
    const width = y.shape[1]!;
    x.dispose();
    y.dispose();
    for (let i = 0; i < n; i++) {
      const row = out.subarray(i * width, (i + 1) * width);
      digits.push({
        probabilities: Float32Array.from(row.subarray(0, CLASSES)),
        embedding: Float32Array.from(row.subarray(CLASSES)),
      });
    }
  }
  return digits;
}
