// Retrain wall time, start → published version, with 10, 100 and 1,000 feedback samples, and
// the retrain process's peak RSS. Each run is the real CLI in a child process (as the server's
// local driver runs it) on a scratch copy of the live model; the gate is opened wide so every
// run goes all the way to publishing. Usage: tsx bench/retrain-wall-time.ts [10,100,1000]
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordRun, watchMachine, type RetrainWallTimeRun } from 'sync-server/bench-results';
import { initBackend } from '../src/backend';
import { loadMnist } from '../src/data/mnist';
import { pick } from '../src/evaluate';
import { shiftSet } from '../scripts/shift';
import { writeNewData } from '../test/helpers/write-new-data';
import { retrainChild, seedModels } from './retrain-child';

const sizes = (process.argv[2] ?? '10,100,1000').split(',').map(Number);
const machine = watchMachine();
const backend = await initBackend({ quiet: true });
const feedbackPool = shiftSet(pick(loadMnist('test'), range(Math.max(...sizes))));

process.stdout.write(
  `retrain wall time (start → published), ${cpus().length}× ${cpus()[0]?.model.trim()}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, backend ${backend}\n`,
);
const measured: RetrainWallTimeRun['sizes'] = [];
const peaks: number[] = [];
let liveVersion = '';
for (const n of sizes) {
  const root = await mkdtemp(join(tmpdir(), 'bench-retrain-'));
  try {
    const live = await seedModels(join(root, 'models'), backend);
    await writeNewData(join(root, 'new_data'), pick(feedbackPool, range(n)), {
      perSubset: 10,
      tag: 'bench',
    });
    const { wallMs, report } = await retrainChild(root);
    measured.push({ samples: n, outcome: report.outcome, wallMs: Math.round(wallMs) });
    peaks.push(Math.round(report.peakRssBytes / 2 ** 20));
    liveVersion = live;
    const phases = Object.entries(report.phasesMs)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
      .join(', ');
    process.stdout.write(
      `  ${String(n).padStart(5)} samples: ${report.outcome} in ${(wallMs / 1000).toFixed(1)} s ` +
        `(${phases}), peak RSS ${Math.round(report.peakRssBytes / 2 ** 20)} MiB, live ${live}\n`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const results = fileURLToPath(new URL('retrain-wall-time.json', import.meta.url));
recordRun<RetrainWallTimeRun>(results, {
  date: new Date().toISOString(),
  machine: machine.done(),
  backend,
  live: liveVersion,
  sizes: measured,
  peakRssMiB: [Math.min(...peaks), Math.max(...peaks)],
});
process.stdout.write(`  written to ${results}; \`npm run docs\` updates the READMEs\n`);

function range(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}
