import { readManifest } from 'sync-server/registry';
import { loadVersion, publishVersion } from '../src/registry';

/**
 * Publishes the live version of the `source` models folder into a scratch `modelsDir`, so a
 * script can run real retrains on it without touching the real registry. Its version name.
 */
export async function copyLive(
  source: string,
  modelsDir: string,
  backend: string,
): Promise<string> {
  const manifest = await readManifest(source);
  const entry = manifest?.versions.find((v) => v.version === manifest.current);
  if (!manifest || !entry) throw new Error(`no live model in ${source}`);
  const model = await loadVersion(source, manifest.current);
  await publishVersion({
    modelsDir,
    model,
    parent: null,
    trainedOn: entry.trainedOn,
    metrics: entry.metrics,
    training: entry.training ?? { kind: 'base', epochs: 0, seed: 0, backend, durationMs: 0 },
    startedAt: new Date(),
  });
  model.dispose();
  return manifest.current;
}
