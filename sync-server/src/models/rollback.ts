import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, manifestSchema, type Manifest } from '../contract';
import { fsyncDir, replaceFileAtomic } from '../storage/durable-fs';
import { withRetrainLock } from './retrain-lock';

/** Why a rollback was refused, phrased for the admin. */
export class RollbackError extends Error {
  override name = 'RollbackError';
  constructor(
    readonly status: 404 | 409,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Points the manifest's `current` at a kept version in `models/`, under the
 * trainer's lock so it never races a publish. The version's folder must still hold its
 * model.json. Returns the new manifest.
 */
export async function rollbackTo(modelsDir: string, version: string): Promise<Manifest> {
  return withRetrainLock(modelsDir, async () => {
    const path = join(modelsDir, MANIFEST_FILE);
    let manifest: Manifest;
    try {
      manifest = manifestSchema.parse(JSON.parse(await readFile(path, 'utf8')));
    } catch (err) {
      throw new RollbackError(409, `manifest.json unreadable: ${(err as Error).message}`);
    }
    if (!manifest.versions.some((v) => v.version === version)) {
      throw new RollbackError(404, `version ${version} is not in the manifest`);
    }
    const files = await stat(join(modelsDir, version, 'model.json')).catch(() => null);
    if (!files?.isFile()) throw new RollbackError(409, `models/${version}/model.json is missing`);
    const next: Manifest = { ...manifest, current: version };
    await replaceFileAtomic(path, `${JSON.stringify(next, null, 2)}\n`);
    await fsyncDir(modelsDir);
    return next;
  });
}
