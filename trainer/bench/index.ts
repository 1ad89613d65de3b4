// `npm run bench -w trainer`: runs every benchmark file in its own process (each picks its own
// TensorFlow.js backend), one after another so they do not compete for the CPU. Add a file to
// BENCHES to add a benchmark.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const BENCHES = ['training-speed.ts', 'retrain-wall-time.ts', 'retrain-scale.ts'];

let failed = 0;
for (const file of BENCHES) {
  const path = fileURLToPath(new URL(file, import.meta.url));
  const result = spawnSync(process.execPath, ['--import', 'tsx', path], { stdio: 'inherit' });
  if (result.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
