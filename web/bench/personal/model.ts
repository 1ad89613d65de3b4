// The committed live model, loaded in Node from models/ and folded exactly as the app folds it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { io, ready, setBackend, tensor4d } from '@tensorflow/tfjs-core';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { manifestSchema, PIXEL_COUNT } from 'sync-server/contract';
import { foldForInference, type InferenceModel } from '../../src/predict/fold';
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
  // wasm when it starts (several times faster than cpu for the hand fits), else cpu.
  await import('@tensorflow/tfjs-backend-wasm');
  if (!(await setBackend('wasm').catch(() => false))) await setBackend('cpu');
  await ready();
  const manifest = manifestSchema.parse(
    JSON.parse(readFileSync(path.join(modelsDir, 'manifest.json'), 'utf8')),
  );
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
    const values = new Float32Array(n * PIXEL_COUNT);
    for (let i = 0; i < n; i++) {
      const image = images[start + i]!;
      for (let j = 0; j < PIXEL_COUNT; j++) values[i * PIXEL_COUNT + j] = image[j]! / 255;
    }
    const x = tensor4d(values, [n, 28, 28, 1]);
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
