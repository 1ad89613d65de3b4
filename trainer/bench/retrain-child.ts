// What the retrain benches share: a scratch copy of the live model, and one real retrain in a
// child process (as the server's local driver runs it) with the gate opened wide, so every run
// goes all the way to publishing.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readManifest } from 'sync-server/registry';
import { onStop } from 'sync-server/scratch';
import { buildModel } from '../src/model';
import { loadVersion, publishVersion } from '../src/registry';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
// The repo's own models folder, wherever the bench is started from (npx and npm -w disagree
// on the folder relative paths resolve against).
const REPO_MODELS = fileURLToPath(new URL('../../models', import.meta.url));

/**
 * Publishes the repo's live model (same weights, same cost) into `modelsDir`, else a fresh
 * buildModel(), as having trained on subsets `seen`. Returns what it published.
 */
export async function seedModels(
  modelsDir: string,
  backend: string,
  seen: number[] = [],
): Promise<string> {
  const source = REPO_MODELS;
  const manifest = await readManifest(source).catch(() => null);
  const model = manifest ? await loadVersion(source, manifest.current) : buildModel();
  const entry = manifest?.versions.find((v) => v.version === manifest.current);
  await publishVersion({
    modelsDir,
    model,
    parent: null,
    trainedOn: { subsets: seen, samples: 60_000 },
    metrics: entry?.metrics ?? { mnistTestAccuracy: 0 },
    training: { kind: 'base', epochs: 0, seed: 0, backend, durationMs: 0 },
    startedAt: new Date(),
  });
  model.dispose();
  return manifest?.current ?? 'untrained buildModel()';
}

export interface RetrainReport {
  outcome: string;
  phasesMs: Record<string, number>;
  metrics: Record<string, number | null>;
  peakRssBytes: number;
}

/** Runs `retrain` on `<root>/new_data` and `<root>/models`; wall time from spawn to exit. */
export async function retrainChild(
  root: string,
): Promise<{ wallMs: number; report: RetrainReport }> {
  const reportPath = join(root, 'report.json');
  const args = ['--import', 'tsx', CLI, 'retrain', '--data-dir', join(root, 'new_data')];
  args.push('--models-dir', join(root, 'models'), '--report', reportPath);
  args.push('--max-mnist-drop', '100', '--max-digit-drop', '100', '--holdout-alpha', '0');
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    // The bench stopped mid-retrain: the retrain goes too (before the scratch folder it uses).
    const forget = onStop(() => child.kill('SIGTERM'));
    child
      .on('error', (err) => {
        forget();
        reject(err);
      })
      .on('close', () => {
        forget();
        resolve();
      });
  });
  const wallMs = performance.now() - started;
  return { wallMs, report: JSON.parse(await readFile(reportPath, 'utf8')) as RetrainReport };
}
