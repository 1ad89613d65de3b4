import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join, normalize, sep } from 'node:path';
import { writeFileDurable } from './durable-fs';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

/**
 * Saves `model` in the tfjs layers format (`model.json` + one weight file) into the existing
 * folder `dir`, each file fsynced. Works on every backend (no file:// handler needed).
 * Returns the bytes written.
 */
export async function saveModelFiles(model: tf.LayersModel, dir: string): Promise<number> {
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
      await writeFileDurable(join(dir, WEIGHTS_FILE), weights);
      await writeFileDurable(join(dir, MODEL_JSON), json);
      bytes = weights.byteLength + Buffer.byteLength(json);
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    }),
  );
  return bytes;
}

/** An IOHandler reading a layers model from a folder through `fs` (tfjs-node not needed). */
export function folderLoadHandler(dir: string): tf.io.IOHandler {
  return {
    load: async () => {
      const modelJson = JSON.parse(
        await readFile(join(dir, MODEL_JSON), 'utf8'),
      ) as tf.io.ModelJSON;
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
export async function loadModelFiles(dir: string): Promise<tf.LayersModel> {
  return tf.loadLayersModel(folderLoadHandler(dir));
}

// A weight path from model.json must stay inside the model's folder.
function insideDir(dir: string, path: string): string {
  const full = normalize(join(dir, path));
  if (!full.startsWith(normalize(dir) + sep)) {
    throw new Error(`weight path ${path} leaves the model folder ${dir}`);
  }
  return full;
}
