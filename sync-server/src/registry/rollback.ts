import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { versionSchema, type Manifest, type ManifestVersion } from '../contract';
import { withRetrainLock } from './lock';
import { readManifest, writeManifest } from './manifest-file';
import { checkModelFolder, MODEL_JSON } from './model-folder';

/** Why a rollback was refused: `not-kept` names no kept version; the rest are conflicts. */
export class RollbackError extends Error {
  constructor(
    readonly reason: 'no-manifest' | 'not-kept' | 'not-on-disk' | 'does-not-load',
    message: string,
  ) {
    super(message);
    this.name = 'RollbackError';
  }
}

export interface RollbackOptions {
  /** Clock, for tests. */
  now?: () => Date;
}

/**
 * Points the manifest's `current` at a kept version, for the admin route and the trainer's
 * CLI alike. Under the retrain lock, so it never races a publish or a pull. The version must
 * load and answer a forward pass with `[1, 10]` probabilities first (a broken folder leaves
 * the manifest untouched), because every client will fetch what `current` names. The change
 * is recorded in the history as `rolled-back`. Rolling back to the live version changes
 * nothing. Throws RollbackError, or LockBusyError while another run holds the lock.
 */
export async function rollback(
  modelsDir: string,
  version: string,
  options: RollbackOptions = {},
): Promise<{ manifest: Manifest; entry: ManifestVersion }> {
  const now = options.now ?? (() => new Date());
  return withRetrainLock(
    modelsDir,
    async () => {
      const startedAt = now();
      const manifest = await readManifest(modelsDir).catch((err: unknown) => {
        throw new RollbackError('no-manifest', (err as Error).message);
      });
      if (!manifest) throw new RollbackError('no-manifest', `no manifest in ${modelsDir}`);
      const entry = manifest.versions.find((v) => v.version === version);
      if (!entry || !versionSchema.safeParse(version).success) {
        const kept = manifest.versions.map((v) => v.version).join(', ');
        throw new RollbackError('not-kept', `version ${version} is not kept; kept: ${kept}`);
      }
      if (manifest.current === version) return { manifest, entry };
      await checkLoads(modelsDir, version);
      const next = await writeManifest(
        modelsDir,
        { ...manifest, current: version },
        {
          startedAt: startedAt.toISOString(),
          finishedAt: now().toISOString(),
          outcome: 'rolled-back',
          version,
          parent: manifest.current,
          reason: `rolled back from ${manifest.current}`,
        },
      );
      return { manifest: next, entry };
    },
    { purpose: 'rollback' },
  );
}

async function checkLoads(modelsDir: string, version: string): Promise<void> {
  const dir = join(modelsDir, version);
  const found = await stat(join(dir, MODEL_JSON)).then(
    (s) => s.isFile(),
    () => false,
  );
  if (!found) {
    throw new RollbackError('not-on-disk', `version ${version} is not on disk in ${modelsDir}`);
  }
  try {
    await checkModelFolder(dir);
  } catch (err) {
    throw new RollbackError(
      'does-not-load',
      `version ${version} does not load: ${(err as Error).message}`,
    );
  }
}
