// Server start-up with a long history: `stored` answers in the real new_data/ layout (subsets
// of 10, PNG + metadata.json), then the time from spawning the server to its first healthy
// /healthz (the start-up scan reads every subset before the server listens).
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onStop } from '../scripts/scratch';
import { REPO_ROOT } from '../src/config';
import {
  COUNT_FILE,
  FEEDBACK_SOURCE,
  METADATA_FILE,
  pngFileName,
  subsetDirName,
  type MetadataEntry,
} from '../src/contract';
import { encodeMnistPng } from '../src/storage/png';

const PER_SUBSET = 10;

/** Writes `stored` answers; one PNG per digit is encoded once and its bytes reused. */
export function writeStoredAnswers(dataDir: string, stored: number): void {
  const pngs = Array.from({ length: 10 }, (_, d) =>
    encodeMnistPng(new Uint8Array(784).map((_, i) => ((i * (d + 3)) % 97 > 60 ? 255 : 0))),
  );
  mkdirSync(dataDir, { recursive: true });
  const start = 1_760_000_000_000;
  const subsets = Math.ceil(stored / PER_SUBSET);
  for (let s = 0; s < subsets; s++) {
    const dir = join(dataDir, subsetDirName(s));
    mkdirSync(dir, { recursive: true });
    const entries: MetadataEntry[] = [];
    for (let i = s * PER_SUBSET; i < Math.min(stored, (s + 1) * PER_SUBSET); i++) {
      const id = randomUUID();
      const label = i % 10;
      const filename = pngFileName(label, start + i, id);
      writeFileSync(join(dir, filename), pngs[label]!);
      const entry = { filename, true_label: label, created_at: start + i, id };
      entries.push({ ...entry, source: FEEDBACK_SOURCE });
    }
    writeFileSync(join(dir, METADATA_FILE), JSON.stringify(entries));
  }
  const open = stored % PER_SUBSET;
  const count = { current_count: open, sub_set_count: open === 0 ? subsets : subsets - 1 };
  writeFileSync(join(dataDir, COUNT_FILE), JSON.stringify(count));
}

/**
 * Milliseconds from spawning the server on `dataDir` to a 200 from /healthz; `stop` resolves
 * once the server has exited, so the next case's server does not share the machine with it.
 */
export async function timeToHealthy(
  env: Record<string, string>,
  port: number,
): Promise<{ ms: number; stop: () => Promise<void> }> {
  const started = performance.now();
  const child = spawn(process.execPath, ['sync-server/scripts/start.mjs'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env, PORT: String(port) },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const forget = onStop(() => child.kill('SIGTERM'));
  const stop = () => {
    forget();
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    return exited;
  };
  for (let i = 0; i < 6000; i++) {
    const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    if (res?.ok) return { ms: performance.now() - started, stop };
    await new Promise((r) => setTimeout(r, 10));
  }
  await stop();
  throw new Error('the server did not become healthy within a minute');
}
