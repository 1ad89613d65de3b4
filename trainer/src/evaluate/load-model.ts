import type * as tf from '@tensorflow/tfjs';
import { stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { resolveAgainst, versionSchema } from 'sync-server/contract';
import { loadModelFiles, readManifest } from 'sync-server/registry';
import { loadVersion } from '../registry';

/**
 * The model a CLI names: `current` (the live version), a version kept in `modelsDir`, or a
 * path to a model folder or its `model.json`.
 */
export async function loadNamedModel(
  name: string,
  modelsDir: string,
  baseDir: string,
): Promise<{ model: tf.LayersModel; label: string }> {
  if (name === 'current' || name === 'live') {
    const manifest = await readManifest(modelsDir);
    if (!manifest) throw new Error(`no manifest in ${modelsDir}: no live model`);
    return { model: await loadVersion(modelsDir, manifest.current), label: manifest.current };
  }
  if (versionSchema.safeParse(name).success) {
    return { model: await loadVersion(modelsDir, name), label: name };
  }
  const path = resolveAgainst(baseDir, name);
  const info = await stat(path).catch(() => null);
  if (!info) throw new Error(`no model at ${path} (expected a version name or a model folder)`);
  const dir = info.isDirectory() ? path : dirname(path);
  if (!info.isDirectory() && basename(path) !== 'model.json') {
    throw new Error(`${path} is not a model.json`);
  }
  return { model: await loadModelFiles(dir), label: path };
}
