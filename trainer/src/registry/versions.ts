import type * as tf from '@tensorflow/tfjs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { versionSchema, type ManifestVersion } from 'sync-server/contract';
import { loadModelFiles, readManifest } from 'sync-server/registry';

/** Loads a published version from `models/<version>/`. */
export async function loadVersion(modelsDir: string, version: string): Promise<tf.LayersModel> {
  const valid = versionSchema.safeParse(version);
  if (!valid.success) throw new Error(`not a version name: ${version}`);
  const dir = join(modelsDir, valid.data);
  const found = await stat(join(dir, 'model.json')).then(
    () => true,
    () => false,
  );
  if (!found) throw new Error(`version ${version} is not on disk in ${modelsDir}`);
  return loadModelFiles(dir);
}

export interface ListedVersion extends ManifestVersion {
  live: boolean;
  /** False when the folder is missing (someone deleted it by hand). */
  onDisk: boolean;
}

/** The manifest's versions, oldest first, marked live / on disk; [] when none. */
export async function listVersions(modelsDir: string): Promise<ListedVersion[]> {
  const manifest = await readManifest(modelsDir);
  if (!manifest) return [];
  const sorted = [...manifest.versions].sort((a, b) => a.version.localeCompare(b.version));
  return Promise.all(
    sorted.map(async (v) => ({
      ...v,
      live: v.version === manifest.current,
      onDisk: await stat(join(modelsDir, v.version, 'model.json')).then(
        () => true,
        () => false,
      ),
    })),
  );
}
