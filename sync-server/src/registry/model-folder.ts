import type * as tfjs from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { MNIST_SIZE } from '../contract';
import { writeFileSynced } from './durable-fs';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

type Tf = typeof tfjs;
let loading: Promise<Tf> | undefined;

/**
 * TensorFlow.js, imported on first use: the server needs it only to check a rollback, and
 * must not pay for it at start. The pure-JS package, never tfjs-node (which cannot install
 * everywhere). Whatever backend the process chose is used (the trainer's wasm or tfjs-node);
 * when none was chosen (the server) it is cpu, with tfjs's console notes off so they stay
 * out of the server's JSON log (PROD only silences warnings and debug checks).
 */
export function loadTf(): Promise<Tf> {
  loading ??= import('@tensorflow/tfjs').then(async (tf) => {
    if (!tf.engine().backendName) {
      tf.env().set('PROD', true);
      await tf.setBackend('cpu');
    }
    return tf;
  });
  return loading;
}

/**
 * Saves `model` in the tfjs layers format (`model.json` + one weight file) into the existing
 * folder `dir`, each file fsynced. Works on every backend (no file:// handler needed).
 * Returns the bytes written.
 */
export async function saveModelFiles(model: tfjs.LayersModel, dir: string): Promise<number> {
  const tf = await loadTf();
  let bytes = 0;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
      const modelJson = {
        format: artifacts.format ?? 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      const json = JSON.stringify(modelJson);
      await writeFileSynced(join(dir, WEIGHTS_FILE), weights);
      await writeFileSynced(join(dir, MODEL_JSON), json);
      bytes = weights.byteLength + Buffer.byteLength(json);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return bytes;
}

/** An IOHandler reading a layers model from a folder through `fs` (tfjs-node not needed). */
async function folderLoadHandler(dir: string): Promise<tfjs.io.IOHandler> {
  const tf = await loadTf();
  return {
    load: async () => {
      const modelJson = JSON.parse(
        await readFile(join(dir, MODEL_JSON), 'utf8'),
      ) as tfjs.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(modelJson, async (manifest) => {
        const specs = manifest.flatMap((group) => group.weights);
        const buffers = [];
        for (const path of manifest.flatMap((group) => group.paths)) {
          const buf = await readFile(insideDir(dir, path));
          buffers.push(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
        }
        return [specs, tf.io.concatenateArrayBuffers(buffers)];
      });
    },
  };
}

/** Loads the layers model saved in `dir`. */
export async function loadModelFiles(dir: string): Promise<tfjs.LayersModel> {
  const tf = await loadTf();
  return tf.loadLayersModel(await folderLoadHandler(dir));
}

/**
 * Loads the model in `dir` and checks that it answers the contract's input with `[1, 10]`
 * probabilities, as every client will ask it to; throws saying what is wrong.
 */
export async function checkModelFolder(dir: string): Promise<void> {
  const tf = await loadTf();
  const model = await loadModelFiles(dir);
  try {
    const probs = tf.tidy(() => {
      const out = model.predict(tf.zeros([1, MNIST_SIZE, MNIST_SIZE, 1])) as tfjs.Tensor;
      if (out.shape.join() !== '1,10') {
        throw new Error(`it answers shape [${out.shape.join(', ')}], not [1, 10]`);
      }
      return Array.from(out.dataSync());
    });
    const sum = probs.reduce((a, b) => a + b, 0);
    if (!probs.every(Number.isFinite) || Math.abs(sum - 1) > 1e-3) {
      throw new Error(`it does not answer probabilities (sum ${sum})`);
    }
  } finally {
    model.dispose();
  }
}

// A weight path from model.json must stay inside the model's folder.
function insideDir(dir: string, path: string): string {
  const full = normalize(join(dir, path));
  if (!full.startsWith(normalize(dir) + sep)) {
    throw new Error(`weight path ${path} leaves the model folder ${dir}`);
  }
  return full;
}
