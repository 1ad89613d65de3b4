// The root README's `summary` block: the headline figures, one row each, with their targets.
import { caseTimes, p50p95, recorded, scaleCase, startupTimes, wallCase } from './block-helpers';
import { dates, fixed, int, loadSpan, machineLine, pct, seconds, span, table } from './format';
import { fewerShare, meetsPersonalGoal, personalTotals } from './personal-blocks';
import { learningGoalRow } from './replay-goal';
import type { Sources } from './sources';

export function summary(s: Sources): string {
  return [
    measuredOn(s),
    '',
    table(
      ['what', 'figure', 'target'],
      [
        baseModelRow(s),
        trainingSpeedRow(s),
        retrainRow(s),
        retrainScaleRow(s),
        startupRow(s),
        ['durable feedback ingest, batches of 50', ingest(s, 50), '≥ 2,000 items/s'],
        ['durable feedback ingest, batches of 1', ingest(s, 1), ''],
        browserPredictionRow(s),
        readyRow(s),
        initialJsRow(s),
        learningGoalRow(s),
        ...personalSummary(s),
      ],
    ),
  ].join('\n');
}

/** The dates and machines of every run the summary draws on. */
function measuredOn(s: Sources): string {
  const all = [
    ...s.syncServer,
    ...s.trainingSpeed,
    ...s.retrainWallTime,
    ...s.retrainScale,
    ...s.serverStartup,
    ...s.replay,
    ...s.web,
    ...s.personal,
  ];
  return `Measured on ${dates(all)}: ${machineLine(all.map((r) => r.machine))}. Each workspace README has the full tables, the results file and the load each run saw.`;
}

/** The newest base model's accuracy and training, from the manifest; its size from the bench. */
function baseModelRow(s: Sources): string[] {
  const base = s.manifest.versions.filter((v) => v.training?.kind === 'base').at(-1);
  const speed = s.trainingSpeed.at(-1)!;
  const baseFigure = base?.training
    ? `**${pct(base.metrics.mnistTestAccuracy)} %**, ${int(speed.parameters)} parameters, ${fixed(1)(speed.multiplyAdds / 1e6)}M multiply-adds per digit (${base.training.epochs} epochs, seed ${base.training.seed}, ${base.training.backend}, ${fixed(1)(base.training.durationMs / 60_000)} min)`
    : 'no base model in `models/manifest.json`';
  return ['base model, MNIST 10k test', baseFigure, '≥ 99.5 %, ≤ 150k'];
}

function trainingSpeedRow(s: Sources): string[] {
  const cases = (backend: string, augment: boolean) =>
    span(
      s.trainingSpeed.flatMap((r) =>
        r.cases
          .filter((c) => c.backend === backend && c.augment === augment)
          .map((c) => c.samplesPerSec),
      ),
      fixed(1),
    );
  return [
    'training speed, one thread, shipped CNN',
    `wasm + our kernels ${cases('wasm', false)} samples/s (${cases('wasm', true)}/s with augmentation); stock cpu ${cases('cpu', false)}/s; stock wasm cannot train it (${loadSpan(s.trainingSpeed.map((r) => r.machine))})`,
    '',
  ];
}

function retrainRow(s: Sources): string[] {
  const wallTimes = (c: string) => caseTimes(s.retrainWallTime, wallCase, c);
  const wallOf = (c: string) => span(wallTimes(c), seconds(1));
  const twoWriters =
    wallTimes('10-writers').length > 0 ? ` (from two writers: ${wallOf('10-writers')} s)` : '';
  return [
    'retrain, start → published',
    `10 feedback ${wallOf('10')} s${twoWriters}, 100: ${wallOf('100')} s, 1,000: ${wallOf('1000')} s; peak RSS ${span(
      s.retrainWallTime.map((r) => r.peakRssMiB),
      int,
    )} MiB (${loadSpan(s.retrainWallTime.map((r) => r.machine))})`,
    '< 60 s for 10',
  ];
}

function retrainScaleRow(s: Sources): string[] {
  const scaleTimes = (c: string) => caseTimes(s.retrainScale, scaleCase, c);
  return [
    'retrain cost against history',
    `100,000 answers stored against 1,000: wall time ×${span(
      s.retrainScale.map((r) => r.wallRatio),
      fixed(2),
    )}, peak RSS ×${span(
      s.retrainScale.map((r) => r.rssRatio),
      fixed(2),
    )}; 100,000: ${span(scaleTimes('100000'), seconds(1))} s, ${span(
      s.retrainScale.flatMap((r) => recorded(r.sizes, (z) => z.unpublished)),
      int,
    )} of them unpublished: ${span(scaleTimes('100000-backlog'), seconds(1))} s (${loadSpan(
      s.retrainScale.map((r) => r.machine),
    )})`,
    '≤ 1.3×; < 60 s at 100,000 stored',
  ];
}

function startupRow(s: Sources): string[] {
  return [
    'server start-up, 100,000 answers stored',
    `${span(startupTimes(s, 100_000), seconds(2))} s to healthy (none stored: ${span(
      startupTimes(s, 0),
      seconds(2),
    )} s; ${loadSpan(s.serverStartup.map((r) => r.machine))})`,
    '≤ 3 s',
  ];
}

/** Durable ingest in batches of `batch`, next to the bare echo in the same runs. */
function ingest(s: Sources, batch: number): string {
  const rows = (target: 'feedback' | 'echo') =>
    s.syncServer.flatMap((r) => r.rows.filter((x) => x.target === target && x.batch === batch));
  const f = rows('feedback');
  return `${span(
    f.map((r) => r.itemsPerSec),
    int,
  )} items/s, p50 ${span(
    f.map((r) => r.p50Ms),
    int,
  )} ms, p99 ${span(
    f.map((r) => r.p99Ms),
    int,
  )} ms (bare Hono echo in the same runs: ${span(
    rows('echo').map((r) => r.itemsPerSec),
    int,
  )} items/s; ${loadSpan(s.syncServer.map((r) => r.machine))})`;
}

function browserPredictionRow(s: Sources): string[] {
  const web = s.web;
  return [
    'browser prediction, auto-chosen backend',
    `${p50p95(web.map((r) => r.auto))} for a drawn digit (${loadSpan(web.map((r) => r.machine))})`,
    '≤ 1 ms',
  ];
}

function readyRow(s: Sources): string[] {
  const web = s.web;
  return [
    'navigation → first prediction ready',
    `cold median ${span(
      web.map((r) => r.coldReadyMedianMs),
      seconds(2),
    )} s (slowest single load ${span(
      web.map((r) => r.coldReadySlowestMs),
      seconds(2),
    )} s), warm offline ${span(
      web.map((r) => r.warmOfflineReadyMedianMs),
      seconds(2),
    )} s`,
    '≤ 2 s cold',
  ];
}

function initialJsRow(s: Sources): string[] {
  const web = s.web;
  return [
    'initial JS',
    `${span(
      web.map((r) => r.initialJsGzipKB),
      fixed(1),
    )} KB gzip (${span(
      web.map((r) => r.jsToFirstPredictionGzipKB),
      fixed(1),
    )} KB gzip loaded before the first prediction)`,
    '≤ 500 KB',
  ];
}

/** The summary's personalization row: the newest run with other populations, if any. */
function personalSummary(s: Sources): string[][] {
  const run = s.personal.at(-1);
  if (!run?.populations?.length) return [];
  const all = [personalTotals(run), ...run.populations];
  const met = all.filter(meetsPersonalGoal).length;
  return [
    [
      "on-device personalization, errors in a stream's second half",
      `${span(all.map(fewerShare), pct)} % fewer over ${all.length} populations of ${run.writers.length} synthetic writers; goal met on ${met} of ${all.length}`,
      '≥ 40 % fewer, no writer > +1',
    ],
  ];
}
