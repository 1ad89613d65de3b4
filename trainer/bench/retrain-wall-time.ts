// Retrain wall time, start → published version, with 10, 100 and 1,000 feedback samples, and
// the retrain process's peak RSS. Each run is the real CLI in a child process (as the server's
// local driver runs it) on a scratch copy of the live model; the gate is opened wide so every
// run goes all the way to publishing. The sizes' answers carry no client id (one-answer
// hands); `10-writers` is a subset of 10 as the app sends it from two people, five answers
// each from its own device, in two synthetic writers' hands that the live model misreads: the
// retrain fits both hands and writes each its full share of writer digits. No subset of 10
// has more hands to fit (a hand needs 4 answers), so this is the dearest.
// Usage: tsx bench/retrain-wall-time.ts [10,10-writers,100,1000]
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir } from 'sync-server/scratch';
import { recordRun, watchMachine, type RetrainWallTimeRun } from 'sync-server/bench-results';
import { initBackend } from '../src/backend';
import { loadMnist } from '../src/data/mnist';
import { pick } from '../src/evaluate';
import { isHoldout } from '../src/gate/holdout';
import type { SampleSet } from '../src/train';
import { shiftSet } from '../scripts/shift';
import { writersSets } from '../scripts/writers-set';
import { uuidFrom, writeNewData } from '../test/helpers/write-new-data';
import { retrainChild, seedModels } from './retrain-child';

const TAG = 'bench';
const cases = (process.argv[2] ?? '10,10-writers,100,1000').split(',').map(parseCase);
const machine = watchMachine();
const backend = await initBackend({ quiet: true });
const test = loadMnist('test');
const feedbackPool = shiftSet(pick(test, range(Math.max(...cases.map((c) => c.samples)))));
const twoWriters = twoWriterSubset(test);

process.stdout.write(
  `retrain wall time (start → published), ${cpus().length}× ${cpus()[0]?.model.trim()}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, backend ${backend}\n`,
);
const measured: RetrainWallTimeRun['sizes'] = [];
const peaks: number[] = [];
let liveVersion = '';
for (const { samples: n, writer } of cases) {
  const scratch = await scratchDir('bench-retrain-');
  const root = scratch.path;
  try {
    const live = await seedModels(join(root, 'models'), backend);
    await writeNewData(
      join(root, 'new_data'),
      writer ? twoWriters.set : pick(feedbackPool, range(n)),
      {
        perSubset: 10,
        tag: TAG,
        ...(writer && { meta: (i: number) => ({ client_id: twoWriters.clients[i] }) }),
      },
    );
    const { wallMs, report } = await retrainChild(root);
    measured.push({
      samples: n,
      ...(writer && { writerDigits: report.metrics.writerDigits ?? 0 }),
      outcome: report.outcome,
      wallMs: Math.round(wallMs),
    });
    peaks.push(Math.round(report.peakRssBytes / 2 ** 20));
    liveVersion = live;
    const phases = Object.entries(report.phasesMs)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
      .join(', ');
    process.stdout.write(
      `  ${String(n).padStart(5)} samples${writer ? ' from two writers' : ''}: ${report.outcome} in ${(wallMs / 1000).toFixed(1)} s ` +
        `(${phases}; of train, fitting hands ${((report.metrics.writerFitMs ?? 0) / 1000).toFixed(1)}), peak RSS ${Math.round(report.peakRssBytes / 2 ** 20)} MiB, live ${live}\n`,
    );
  } finally {
    await scratch.remove();
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

/**
 * The subset of 10 from two writers, the replay's first two harsh writers (its default
 * --writer-seed), each on its own device: the answers the gate holds out (by id, as
 * `writeNewData` will name them) are shared between the two, so each keeps at least four to
 * train on and gets its hand fitted.
 */
function twoWriterSubset(test: SampleSet): { set: SampleSet; clients: string[] } {
  const devices = ['0b1c2d3e-4f50-4617-8a9b-acbdcedf0011', '0b1c2d3e-4f50-4617-8a9b-acbdcedf0022'];
  const ids = Array.from({ length: 10 }, (_, i) => uuidFrom(`${TAG}-${i}`));
  const order = [...range(10)].sort(
    (a, b) => Number(isHoldout(ids[a]!)) - Number(isHoldout(ids[b]!)),
  );
  // The answers that train alternate between the writers, and so do the held-out ones after.
  const writerOf = new Array<number>(10);
  order.forEach((i, k) => (writerOf[i] = k % 2));
  const hands = writersSets(test, { writers: 2, answers: 10, judged: 1, seed: 2026 }).feedback;
  const next = [0, 0];
  const picked = writerOf.map((w) => w * 10 + next[w]!++);
  return { set: pick(hands, picked), clients: writerOf.map((w) => devices[w]!) };
}

/** `10`: that many answers without a client id; `10-writers`: the two-writer subset of 10. */
function parseCase(token: string): { samples: number; writer: boolean } {
  if (token === '10-writers') return { samples: 10, writer: true };
  const samples = Number(token);
  if (!Number.isInteger(samples) || samples < 1) {
    throw new Error(`bench case "${token}": a count of answers, or 10-writers`);
  }
  return { samples, writer: false };
}

function range(n: number): Uint32Array {
  return Uint32Array.from({ length: n }, (_, i) => i);
}
