// Does a retrain measurably help? Replays a labeled digit set as user feedback through the real
// retrain (reader, holdout, fine-tune, gate, registry) in a temp copy of models/, and reports
// accuracy before and after on a disjoint part of that set and on MNIST test. The default set is
// synthetic writers unlike MNIST (scripts/writers-set.ts): each writer's answers are fed, each
// writer's other digits judged.
// Usage: npm run replay -w trainer -- [--set writers|shifted|mnist-test] [--writers 10]
//   [--answers 10] [--judged 100] [--writer-seed 2026] [--writer-strength 1] [--test 10000]
//   [--explain] [retrain learning flags: --epochs, --lr, ...]
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordRun, watchMachine, type ReplayRun } from 'sync-server/bench-results';
import { readManifest } from 'sync-server/registry';
import { describeStyle, type WriterStyle } from 'sync-server/writers';
import { z } from 'zod';
import { initBackend } from '../src/backend';
import { scriptFlags } from '../src/commands/args';
import { MODELS_DIR_FLAG } from '../src/commands/common-flags';
import { RETRAIN_DEFAULTS, runRetrain, type RetrainResult } from '../src/commands/retrain';
import { learningFlags, learningOptions } from '../src/commands/retrain/learning-flags';
import { loadConfig } from '../src/config';
import { loadMnist } from '../src/data/mnist';
import { concatSets, pick } from '../src/evaluate';
import { DEFAULT_THRESHOLDS } from '../src/gate';
import { log } from '../src/log';
import { loadVersion } from '../src/registry';
import { createRng, predictClasses, shuffledIndices, type SampleSet } from '../src/train';
import { uuidFrom, writeNewData } from '../test/helpers/write-new-data';
import { copyLive } from './copy-live';
import { explainBroken, explanationLines } from './explain-broken';
import { shiftSet } from './shift';
import { writersSets } from './writers-set';

const count = (min: number) => z.coerce.number().int().min(min);

const flagsSchema = z.object({
  set: z
    .enum(['writers', 'shifted', 'mnist-test'])
    .default('writers')
    .describe('the labeled set replayed as feedback'),
  feedback: count(10)
    .max(5000)
    .default(500)
    .describe('samples replayed as feedback (shifted, mnist-test)'),
  writers: count(1).default(10).describe('writers: how many'),
  answers: count(1).default(10).describe('writers: answers fed per writer'),
  judged: count(1).default(100).describe("writers: each writer's other digits judged"),
  anonymous: z
    .boolean()
    .default(false)
    .describe("writers: the answers carry no client id, as the original system's files"),
  'true-hands': z
    .enum(['false', 'true', 'affine'])
    .default('false')
    .describe(
      "writers: the retrain is given each writer's true geometry instead of fitting it (what the fit costs); affine: without the writer's elastic warp, which no fit estimates",
    ),
  'writer-strength': z.coerce
    .number()
    .gt(0)
    .max(1)
    .default(1)
    .describe("writers: how far each writer's geometry strays from MNIST (0.5: half as far)"),
  'writer-seed': z.coerce
    .number()
    .int()
    .default(2026)
    .describe('writers: another seed draws another population of writers'),
  test: count(100).max(10_000).default(10_000).describe('MNIST test digits the gate measures'),
  'open-gate': z
    .boolean()
    .default(false)
    .describe('publish every candidate, to measure what a setting learns (exploration only)'),
  explain: z
    .boolean()
    .default(false)
    .describe(
      'list the MNIST test digits the retrain broke, with the labels of their nearest writer digits and MNIST training digits (records nothing)',
    ),
  'per-round': z.coerce
    .number()
    .int()
    .min(0)
    .default(0)
    .describe('samples per retrain round (0: all in one round)'),
  eval: z.coerce
    .number()
    .int()
    .min(100)
    .max(5000)
    .default(5000)
    .describe('disjoint samples judged before and after'),
  'models-dir': MODELS_DIR_FLAG,
  epochs: z.coerce.number().int().min(1).default(RETRAIN_DEFAULTS.epochs).describe('as retrain'),
  replay: z.coerce.number().int().min(0).default(RETRAIN_DEFAULTS.replay).describe('as retrain'),
  seed: z.coerce
    .number()
    .int()
    .default(RETRAIN_DEFAULTS.seed)
    .describe("as retrain: another seed shows a setting's run-to-run spread"),
  lr: z.coerce
    .number()
    .positive()
    .max(1)
    .default(RETRAIN_DEFAULTS.learningRate)
    .describe('as retrain'),
  ...learningFlags,
});
type Flags = z.infer<typeof flagsSchema>;

const machine = watchMachine();
const flags = scriptFlags(flagsSchema, process.argv.slice(2));
const config = loadConfig(flags);
if (
  flags['true-hands'] !== 'false' &&
  (flags.set !== 'writers' || flags.anonymous || flags.hands !== 'writer')
) {
  throw new Error(
    '--true-hands needs --set writers with client ids (not --anonymous) and --hands writer',
  );
}
const backend = await initBackend();
const test = loadMnist('test');
const mnist = {
  train: loadMnist('train'),
  test: pick(
    test,
    Uint32Array.from({ length: flags.test }, (_, i) => i),
  ),
};
const evalIdx = Uint32Array.from({ length: flags.eval }, (_, i) => 5000 + i);
const { feedback, judged, perWriter, trueHands } = replaySets();
const feedbackCount = feedback.count;

// Feedback from test digits 0-4999, judged on 5000-9999: the two parts never share a digit.
function replaySets(): {
  feedback: SampleSet;
  judged: Record<string, SampleSet>;
  perWriter: number;
  /** Each writer's true geometry by its client id (`--true-hands`). */
  trueHands?: Map<string, WriterStyle>;
} {
  const clean = pick(test, evalIdx);
  if (flags.set === 'writers') {
    const sets = writersSets(test, {
      writers: flags.writers,
      answers: flags.answers,
      judged: flags.judged,
      seed: flags['writer-seed'],
      strength: flags['writer-strength'],
    });
    // The client id's first 8 characters, as the retrain's log names the hand it fits to them.
    sets.hands.forEach((hand, w) =>
      log('info', `writer ${w} (${writerClient(w).slice(0, 8)}): ${describeStyle(hand)}`),
    );
    return {
      feedback: sets.feedback,
      judged: { writers: sets.judged, 'mnist-test 5000+': clean },
      perWriter: flags.answers,
      trueHands: new Map(
        sets.hands.map((hand, w) => {
          const { elastic: _warp, ...affine } = hand;
          return [writerClient(w), flags['true-hands'] === 'affine' ? affine : hand];
        }),
      ),
    };
  }
  const full = flags.set === 'shifted' ? shiftSet(test) : test;
  const order = shuffledIndices(5000, createRng(11)).subarray(0, flags.feedback);
  return {
    feedback: pick(full, order),
    judged: { [flags.set]: pick(full, evalIdx), 'mnist-test 5000+': clean },
    perWriter: 0,
  };
}

const root = await mkdtemp(join(tmpdir(), 'replay-feedback-'));
try {
  const modelsDir = join(root, 'models');
  const live = await copyLive(config.modelsDir, modelsDir, backend);
  // With --explain, the gate's MNIST test is scored before and after too; it is not one of the
  // judged sets, so the report and the results file leave it out.
  const scored = flags.explain ? { ...judged, 'mnist-test': mnist.test } : judged;
  const before = await scoreLive(modelsDir, scored);
  const writerDigits: SampleSet[] = [];
  const rounds = await replay(flags, feedback, root, modelsDir, (d) => writerDigits.push(d));
  const after = await scoreLive(modelsDir, scored);
  delete before.scores['mnist-test'];
  delete after.scores['mnist-test'];
  report(live, before, after, rounds);
  if (flags.explain) {
    const e = explainBroken(
      mnist.test,
      before.predictions['mnist-test']!,
      after.predictions['mnist-test']!,
      concatSets(...writerDigits),
      mnist.train,
    );
    process.stdout.write(`${explanationLines(e).join('\n')}\n`);
  } else {
    record(live, before, after, rounds);
  }
} finally {
  await rm(root, { recursive: true, force: true });
}

/** The client id of writer `w`'s answers. */
function writerClient(w: number): string {
  return uuidFrom(`writer-${w}`);
}

async function scoreLive(modelsDir: string, sets: Record<string, SampleSet>) {
  const manifest = (await readManifest(modelsDir))!;
  const model = await loadVersion(modelsDir, manifest.current);
  const predictions = Object.fromEntries(
    Object.entries(sets).map(([name, set]) => [name, predictClasses(model, set, 500)]),
  );
  model.dispose();
  const scores = Object.fromEntries(
    Object.entries(sets).map(([name, set]) => {
      const predicted = predictions[name]!;
      return [name, set.labels.filter((label, i) => predicted[i] === label).length / set.count];
    }),
  );
  return { version: manifest.current, scores, predictions };
}

/**
 * Paired comparison on the same digits: how many the retrain fixed and broke, and McNemar's z
 * ((fixed − broken) / √(fixed + broken)); |z| > 1.96 is a change beyond chance at 5 %.
 */
function paired(set: SampleSet, before: Uint8Array, after: Uint8Array) {
  let fixed = 0;
  let broken = 0;
  for (let i = 0; i < set.count; i++) {
    const [was, is] = [before[i] === set.labels[i], after[i] === set.labels[i]];
    if (!was && is) fixed++;
    if (was && !is) broken++;
  }
  const z = fixed + broken ? (fixed - broken) / Math.sqrt(fixed + broken) : 0;
  return { fixed, broken, z };
}

// Feeds the feedback in rounds of `per-round` samples (0: all at once), retraining after each.
async function replay(
  f: Flags,
  all: SampleSet,
  root: string,
  modelsDir: string,
  /** Receives the digits each published round wrote in the writers' hands. */
  onWriterDigits: (digits: SampleSet) => void,
) {
  const step = f['per-round'] > 0 ? f['per-round'] : all.count;
  const rounds: Array<{ samples: number; result: RetrainResult; wallMs: number }> = [];
  for (let n = step; n <= all.count; n += step) {
    const dataDir = join(root, 'new_data');
    await rm(dataDir, { recursive: true, force: true });
    await writeNewData(
      dataDir,
      pick(
        all,
        Uint32Array.from({ length: n }, (_, i) => i),
      ),
      {
        perSubset: 10,
        tag: f.set,
        // One device per writer, so the per-client caps see what they would in the field.
        ...(perWriter > 0 &&
          !f.anonymous && {
            meta: (i: number) => ({ client_id: writerClient(Math.floor(i / perWriter)) }),
          }),
      },
    );
    const started = Date.now();
    let wrote: SampleSet | undefined;
    const result = await runRetrain({
      ...RETRAIN_DEFAULTS,
      ...learningOptions(f),
      mnist: () => mnist,
      epochs: f.epochs,
      replay: f.replay,
      learningRate: f.lr,
      seed: f.seed,
      ...(f['true-hands'] !== 'false' && trueHands && { trueHands }),
      dataDir,
      modelsDir,
      threshold: 10,
      thresholds: f['open-gate']
        ? { maxMnistDrop: 100, maxDigitDrop: 100, holdoutAlpha: 0 }
        : DEFAULT_THRESHOLDS,
      force: false,
      // The manifest's accuracy is over all 10,000 test digits: score the live model on a subset.
      reevalLive: f.test < 10_000,
      onWriterDigits: (digits) => (wrote = digits),
    });
    // Only a published round's digits taught the model that is scored after.
    if (wrote && result.outcome === 'published') onWriterDigits(wrote);
    rounds.push({ samples: n, result, wallMs: Date.now() - started });
    log('info', `round with ${n} feedback samples: ${result.outcome}: ${result.reason}`);
  }
  return rounds;
}

function report(
  live: string,
  before: Awaited<ReturnType<typeof scoreLive>>,
  after: Awaited<ReturnType<typeof scoreLive>>,
  rounds: Awaited<ReturnType<typeof replay>>,
) {
  const pct = (x: number | null | undefined) =>
    typeof x === 'number' ? `${(x * 100).toFixed(2)}%` : 'n/a';
  const lines = [
    `replay of ${feedbackCount} ${flags.set} digits as feedback on ${live} (backend ${backend}), ${variant(flags)}`,
    ...Object.keys(before.scores).map((name) => {
      const p = paired(judged[name]!, before.predictions[name]!, after.predictions[name]!);
      const removed = errorsRemoved(before.scores[name], after.scores[name]);
      return (
        `  ${name.padEnd(18)} before ${pct(before.scores[name])}  after ${pct(after.scores[name])}` +
        `  (${judged[name]!.count} digits: ${p.fixed} fixed, ${p.broken} broken, McNemar z ${p.z.toFixed(2)}; ` +
        `errors removed ${pct(removed)})`
      );
    }),
    ...perWriterLines(before, after),
    ...rounds.map(
      (r) =>
        `  round ${r.samples} samples: ${r.result.outcome} in ${(r.wallMs / 1000).toFixed(1)} s; ` +
        `MNIST test 10k ${pct(r.result.metrics.liveMnistTestAccuracy)} → ${pct(r.result.metrics.candidateMnistTestAccuracy)}, ` +
        `holdout ${pct(r.result.metrics.liveHoldoutAccuracy)} → ${pct(r.result.metrics.candidateHoldoutAccuracy)} ` +
        `(${r.result.metrics.holdoutSamples ?? 0}), prequential ${pct(r.result.metrics.prequentialAccuracy)}`,
    ),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  process.stdout.write(
    `${JSON.stringify({
      set: flags.set,
      feedback: feedbackCount,
      before: { version: before.version, scores: before.scores },
      after: { version: after.version, scores: after.scores },
      rounds,
    })}\n`,
  );
}

/**
 * Each writer's judged digits read right before and after (`--set writers`: the judged set
 * holds `--judged` digits per writer, writer by writer), or none for the other sets.
 */
function byWriter(
  before: Awaited<ReturnType<typeof scoreLive>>,
  after: Awaited<ReturnType<typeof scoreLive>>,
): Array<{ before: number; after: number }> {
  const set = judged.writers;
  if (!set) return [];
  const right = (predicted: Uint8Array, w: number) => {
    let n = 0;
    for (let i = w * flags.judged; i < (w + 1) * flags.judged; i++) {
      if (predicted[i] === set.labels[i]) n++;
    }
    return n / flags.judged;
  };
  return Array.from({ length: flags.writers }, (_, w) => ({
    before: right(before.predictions.writers!, w),
    after: right(after.predictions.writers!, w),
  }));
}

// Where the errors left are: one writer whose hand the retrain misses shows as no change.
function perWriterLines(
  before: Awaited<ReturnType<typeof scoreLive>>,
  after: Awaited<ReturnType<typeof scoreLive>>,
): string[] {
  const writers = byWriter(before, after);
  if (writers.length === 0) return [];
  const pct = (x: number) => (x * 100).toFixed(0);
  return [
    `  per writer, % of ${flags.judged} judged digits right: ` +
      writers.map((w, i) => `${i} ${pct(w.before)}→${pct(w.after)}`).join(', '),
  ];
}

/** Share of the errors before that are gone after (negative: more errors). */
function errorsRemoved(before: number | undefined, after: number | undefined): number | null {
  if (before === undefined || after === undefined || before >= 1) return null;
  return (after - before) / (1 - before);
}

/** The flags that differ from their defaults, as typed: `--lr 1e-4 --epochs 3`, or `default`. */
function variant(f: Flags): string {
  const defaults = flagsSchema.parse({});
  const changed = Object.entries(f).flatMap(([name, value]) => {
    if (name === 'models-dir' || name === 'explain' || value === defaults[name as keyof Flags]) {
      return [];
    }
    const shown =
      typeof value === 'number' && value > 0 && value < 0.01 ? value.toExponential() : value;
    return [`--${name} ${shown}`];
  });
  return changed.length ? changed.join(' ') : 'default';
}

// One run per variant in the committed results file that `npm run docs` renders.
function record(
  live: string,
  before: Awaited<ReturnType<typeof scoreLive>>,
  after: Awaited<ReturnType<typeof scoreLive>>,
  rounds: Awaited<ReturnType<typeof replay>>,
) {
  const run: ReplayRun = {
    date: new Date().toISOString(),
    machine: machine.done(),
    variant: variant(flags),
    feedback: feedbackCount,
    live,
    backend,
    sets: Object.keys(before.scores).map((name) => ({
      name,
      digits: judged[name]!.count,
      before: before.scores[name] ?? null,
      after: after.scores[name] ?? null,
      ...paired(judged[name]!, before.predictions[name]!, after.predictions[name]!),
      ...(name === 'writers' && { perWriter: byWriter(before, after) }),
    })),
    rounds: rounds.map(({ samples, result, wallMs }) => ({
      samples,
      outcome: result.outcome,
      reason: result.reason,
      wallMs,
      mnistTest: {
        before: result.metrics.liveMnistTestAccuracy ?? null,
        after: result.metrics.candidateMnistTestAccuracy ?? null,
      },
      holdout: {
        before: result.metrics.liveHoldoutAccuracy ?? null,
        after: result.metrics.candidateHoldoutAccuracy ?? null,
      },
      holdoutSamples: result.metrics.holdoutSamples ?? null,
    })),
  };
  const file = fileURLToPath(new URL('../bench/replay.json', import.meta.url));
  recordRun<ReplayRun>(file, run, (earlier) => earlier.variant === run.variant);
  process.stdout.write(`written to ${file}; \`npm run docs\` updates the READMEs\n`);
}
