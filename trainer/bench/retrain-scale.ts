// Retrain cost against history: start → decision with 1,000 and with 100,000 stored answers,
// in the same run, and the retrain process's peak RSS. The stored answers are synthetic app
// answers written in the real new_data/ layout (subsets of 10); the live model has trained on
// all but the newest subset, and every older subset has the decoded cache the retrains after
// its seal left, so each run is the steady state: one new subset, a long history. A case
// `N-backlog` stores N answers of which the live model has trained on the first 1,000 only: the
// gate rejected every round since, and the rest piled up unpublished. `--max-new` bounds what
// such a retrain trains as new, so its cost stops growing with the backlog.
// Usage: tsx bench/retrain-scale.ts [1000,100000,100000-backlog]
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir } from 'sync-server/scratch';
import { recordRun, watchMachine, type RetrainScaleRun } from 'sync-server/bench-results';
import { initBackend } from '../src/backend';
import { loadMnist } from '../src/data/mnist';
import { pick } from '../src/evaluate';
import { shiftSet } from '../scripts/shift';
import { generateAnswers } from './generate-answers';
import { retrainChild, seedModels } from './retrain-child';

const PER_SUBSET = 10;
const POOL = 1000;
/** Answers the live model has trained on in a backlog case: the rest are unpublished. */
const BACKLOG_SEEN = 1000;
const cases = (process.argv[2] ?? '1000,100000,100000-backlog').split(',').map((c) => ({
  stored: parseInt(c, 10),
  backlog: c.endsWith('-backlog'),
}));
const machine = watchMachine();
const backend = await initBackend({ quiet: true });
const pool = shiftSet(
  pick(
    loadMnist('test'),
    Uint32Array.from({ length: POOL }, (_, i) => i),
  ),
);

process.stdout.write(
  `retrain cost against history (start → decision), ${cpus().length}× ` +
    `${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ` +
    `backend ${backend}\n`,
);
const rows: RetrainScaleRun['sizes'] = [];
let live = '';
for (const { stored, backlog } of cases) {
  const scratch = await scratchDir('bench-scale-');
  const root = scratch.path;
  try {
    const subsets = Math.ceil(stored / PER_SUBSET);
    const seenCount = backlog ? Math.ceil(BACKLOG_SEEN / PER_SUBSET) : subsets - 1;
    const seen = Array.from({ length: seenCount }, (_, i) => i);
    const generating = performance.now();
    await generateAnswers(join(root, 'new_data'), pool, {
      count: stored,
      perSubset: PER_SUBSET,
      cacheSealedBefore: subsets - 1,
    });
    const generatedS = (performance.now() - generating) / 1000;
    live = await seedModels(join(root, 'models'), backend, seen);
    const { wallMs, report } = await retrainChild(root);
    const row = {
      stored,
      ...(backlog && { unpublished: stored - seenCount * PER_SUBSET }),
      newSamples: report.metrics.feedbackNewSamples ?? null,
      deferredSamples: report.metrics.deferredNewSamples ?? null,
      outcome: report.outcome,
      wallMs: Math.round(wallMs),
      readMs: report.phasesMs.read ?? null,
      peakRssMiB: Math.round(report.peakRssBytes / 2 ** 20),
      trainSamples: report.metrics.feedbackTrainSamples ?? null,
      holdoutSamples: report.metrics.holdoutSamples ?? null,
    };
    rows.push(row);
    process.stdout.write(
      `  ${String(stored).padStart(6)} stored, ${stored - seenCount * PER_SUBSET} unpublished ` +
        `(written in ${generatedS.toFixed(1)} s): ` +
        `${row.outcome} in ${(wallMs / 1000).toFixed(1)} s (read ${row.readMs} ms), ` +
        `peak RSS ${row.peakRssMiB} MiB, trained on ${row.trainSamples} answers ` +
        `(${row.newSamples} as new, ${row.deferredSamples} deferred to the recall pool), ` +
        `holdout ${row.holdoutSamples}\n`,
    );
  } finally {
    await scratch.remove();
  }
}

// The ratios compare the steady-state cases (one new subset): most stored over fewest.
const steady = rows.filter((r) => !('unpublished' in r));
const ratio = (pick: (r: (typeof rows)[number]) => unknown) => {
  if (steady.length < 2) return null;
  const [first, last] = [Number(pick(steady[0]!)), Number(pick(steady.at(-1)!))];
  return first > 0 ? Math.round((last / first) * 100) / 100 : null;
};
const wallRatio = ratio((r) => r.wallMs);
const rssRatio = ratio((r) => r.peakRssMiB);
if (steady.length >= 2) {
  process.stdout.write(
    `  ${steady.at(-1)!.stored} vs ${steady[0]!.stored} stored: wall time ×${wallRatio}, ` +
      `peak RSS ×${rssRatio}\n`,
  );
}
const results = fileURLToPath(new URL('retrain-scale.json', import.meta.url));
recordRun<RetrainScaleRun>(results, {
  date: new Date().toISOString(),
  machine: machine.done(),
  backend,
  live,
  sizes: rows,
  wallRatio,
  rssRatio,
});
process.stdout.write(`  written to ${results}\n`);
