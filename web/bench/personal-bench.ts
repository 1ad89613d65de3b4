// `npm run bench:personal -w web`: does the personal memory help the writer who uses it? Per
// synthetic writer (MNIST test digits in one fixed style, see sync-server/src/contract/writers.ts), a stream:
// predict, answer with the true label, remember, next. Counts the errors in the second half of
// each stream with the model alone and with the memory blended in (src/memory/blend.ts, the
// browser's own code), prints the table and records it for the README (`npm run docs`).
import path from 'node:path';
import { PIXEL_COUNT } from 'sync-server/contract';
import { recordRun, watchMachine, type PersonalRun } from 'sync-server/bench-results';
import { REPO } from '../e2e/server';
import { BLEND_DEFAULTS, memoryIndex } from '../src/memory/blend';
import { HEAD_DEFAULTS, PersonalHead, type HeadRow } from '../src/memory/head';
import { MEMORY_CAP } from '../src/memory/memory-db';
import { personalize } from '../src/memory/personalize';
import { loadMnistTest } from './personal/mnist-test';
import { loadLiveModel, outputs } from './personal/model';
import type { InferenceModel } from '../src/predict/fold';
import { describeHand, HAND_DEFAULTS, PLAIN_HAND, type HandOptions } from '../src/memory/hand';
import { runStream, writerStream, type StreamOptions, type WriterStream } from './personal/stream';
import {
  createRng,
  describeStyle,
  randomStyle,
  randomWriter,
  writeAs,
  type WriterStyle,
} from 'sync-server/writers';

const WRITERS = 12;
const PER_DIGIT = 12; // per class and writer: a stream of 120 digits, 60 judged
// The recorded population. `--seed N` draws another one: printed, never recorded, so the README's
// table stays the same writers (other populations show how far the defaults carry).
const DEFAULT_SEED = 11;
const SEED = seedArgument(process.argv) ?? DEFAULT_SEED;
// `--elastic`: the same writers' geometry plus a smooth elastic warp each (randomWriter), as the
// trainer's replay draws them; printed, never recorded.
const ELASTIC = process.argv.includes('--elastic');
// Populations the recorded run also measures with the same defaults: none of them was used to
// choose the defaults (the sweep in web/README.md used seeds up to 18), so they show how the
// defaults carry to writers they were not looked at with.
const OTHER_SEEDS = [19, 20, 21, 22, 23, 24, 25, 26];
const RESULTS = path.join(REPO, 'web', 'bench', 'personal.json');

/** The positive integers after `flag`, comma-separated; undefined when the flag is absent. */
function seedsAfter(argv: readonly string[], flag: string): number[] | undefined {
  const at = argv.indexOf(flag);
  if (at < 0) return undefined;
  const seeds = (argv[at + 1] ?? '').split(',').map(Number);
  if (seeds.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new Error(`${flag} takes positive integers like 1,2,3, got ${argv[at + 1] ?? 'nothing'}`);
  }
  return seeds;
}

/** `--seed N`, one positive integer, or undefined when absent. */
function seedArgument(argv: readonly string[]): number | undefined {
  const seeds = seedsAfter(argv, '--seed');
  if (seeds && seeds.length !== 1) throw new Error(`--seed takes one seed, got ${seeds.join(',')}`);
  return seeds?.[0];
}

interface Writer {
  style: WriterStyle;
  stream: WriterStream;
}

/** Each writer gets PER_DIGIT distinct test digits of every class, in a shuffled order. */
function buildWriters(model: InferenceModel, seed: number): Writer[] {
  const mnist = loadMnistTest();
  const random = createRng(seed);
  const byClass = Array.from({ length: 10 }, () => [] as number[]);
  for (let i = 0; i < mnist.count; i++) byClass[mnist.labels[i]!]!.push(i);
  const writers: Writer[] = [];
  for (let w = 0; w < WRITERS; w++) {
    const style = ELASTIC ? randomWriter(random) : randomStyle(random);
    const picks = byClass.flatMap((ids) => ids.slice(w * PER_DIGIT, (w + 1) * PER_DIGIT));
    for (let i = picks.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [picks[i], picks[j]] = [picks[j]!, picks[i]!];
    }
    const digits = picks.map((id) => ({
      pixels: writeAs(mnist.images.subarray(id * PIXEL_COUNT, (id + 1) * PIXEL_COUNT), style),
      label: mnist.labels[id]!,
    }));
    writers.push({ style, stream: writerStream(digits, (images) => outputs(model, images)) });
  }
  return writers;
}

const DEFAULTS: StreamOptions = { blend: BLEND_DEFAULTS, head: HEAD_DEFAULTS, hand: HAND_DEFAULTS };

async function evaluate(writers: Writer[], options: StreamOptions) {
  const rows = [];
  for (const w of writers) rows.push({ style: w.style, ...(await runStream(w.stream, options)) });
  const without = rows.reduce((n, r) => n + r.errorsWithout, 0);
  const withMemory = rows.reduce((n, r) => n + r.errorsWith, 0);
  const worst = Math.max(...rows.map((r) => r.errorsWith - r.errorsWithout));
  const reduction = without ? (without - withMemory) / without : 0;
  return { rows, without, withMemory, worst, reduction };
}

/**
 * Milliseconds `personalize` adds to one prediction with a full memory (MEMORY_CAP answers of
 * these writers), median over many runs: the browser pays this on top of the model.
 */
async function personalizeMs(writers: Writer[]): Promise<number> {
  const digits: HeadRow[] = [];
  for (const w of writers) {
    const views = await w.stream.views(PLAIN_HAND);
    digits.push(...views.map((v, i) => ({ ...v, label: w.stream.digits[i]!.label })));
  }
  const rows = Array.from({ length: MEMORY_CAP }, (_, i) => digits[i % digits.length]!);
  const head = new PersonalHead(rows[0]!.embedding.length, HEAD_DEFAULTS);
  head.step(rows);
  const index = memoryIndex(rows);
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const d = digits[i % digits.length]!;
    const t0 = performance.now();
    personalize(d.probabilities, d.embedding, { head, index });
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[samples.length >> 1]!;
}

/**
 * `--sweep [--seeds 1,2,3]`: the defaults against other options over several populations, to
 * choose them: for each, the populations that meet the goal (40 % fewer errors, no writer more
 * than one worse), the total, and the worst writer anywhere.
 */
async function sweep(model: InferenceModel, seeds: number[]): Promise<void> {
  const hand = (options: Partial<HandOptions>) => ({
    ...DEFAULTS,
    hand: { ...HAND_DEFAULTS, ...options },
  });
  const variants: { name: string; options: StreamOptions }[] = [
    { name: 'defaults', options: DEFAULTS },
    { name: 'no hand', options: { ...DEFAULTS, hand: null } },
    { name: 'hand without shrink', options: hand({ shrink: 0 }) },
    { name: 'hand shrink 0.05', options: hand({ shrink: 0.05 }) },
    { name: 'hand shrink 0.2', options: hand({ shrink: 0.2 }) },
    { name: 'hand over 80', options: hand({ maxAnswers: 80 }) },
    // The head's and the neighbours' defaults were chosen before the hand: are they still right
    // with it?
    { name: 'head L2 0.1', options: { ...DEFAULTS, head: { ...HEAD_DEFAULTS, l2: 0.1 } } },
    { name: 'head L2 1', options: { ...DEFAULTS, head: { ...HEAD_DEFAULTS, l2: 1 } } },
    {
      name: 'head rate 0.02',
      options: { ...DEFAULTS, head: { ...HEAD_DEFAULTS, learningRate: 0.02 } },
    },
    {
      name: 'head rate 0.1',
      options: { ...DEFAULTS, head: { ...HEAD_DEFAULTS, learningRate: 0.1 } },
    },
    { name: 'radius 0.03', options: { ...DEFAULTS, blend: { ...BLEND_DEFAULTS, radius: 0.03 } } },
    { name: 'radius 0.12', options: { ...DEFAULTS, blend: { ...BLEND_DEFAULTS, radius: 0.12 } } },
  ];

  const summary = variants.map(() => ({ met: 0, without: 0, withMemory: 0, worst: -Infinity }));
  for (const seed of seeds) {
    const writers = buildWriters(model, seed);
    for (const [v, { name, options }] of variants.entries()) {
      const r = await evaluate(writers, options);
      const sum = summary[v]!;
      if (r.reduction >= 0.4 && r.worst <= 1) sum.met++;
      sum.without += r.without;
      sum.withMemory += r.withMemory;
      sum.worst = Math.max(sum.worst, r.worst);
      process.stdout.write(
        `seed ${seed} ${name}: ${r.without} → ${r.withMemory} (${(r.reduction * 100).toFixed(1)} %), worst writer ${signed(r.worst)}\n`,
      );
    }
  }
  for (const [v, { name }] of variants.entries()) {
    const sum = summary[v]!;
    const fewer = ((sum.without - sum.withMemory) / sum.without) * 100;
    process.stdout.write(
      `${name}: goal met on ${sum.met} of ${seeds.length} populations; ${sum.without} → ${sum.withMemory} (${fewer.toFixed(1)} %), worst writer ${signed(sum.worst)}\n`,
    );
  }
}

function signed(n: number): string {
  return `${n >= 0 ? '+' : ''}${n}`;
}

async function main(): Promise<void> {
  const machine = watchMachine();
  const t0 = performance.now();
  const { version, model } = await loadLiveModel(path.join(REPO, 'models'));
  try {
    if (process.argv.includes('--sweep'))
      return await sweep(model, seedsAfter(process.argv, '--seeds') ?? [1, 2, 3, 4, 5, 6]);
    await report(version, model, machine, t0);
  } finally {
    model.dispose();
  }
}

async function report(
  version: string,
  model: InferenceModel,
  machine: ReturnType<typeof watchMachine>,
  t0: number,
): Promise<void> {
  const writers = buildWriters(model, SEED);
  const r = await evaluate(writers, DEFAULTS);
  const overheadMs = await personalizeMs(writers);
  const lines = r.rows.map(
    (row, i) =>
      `writer ${String(i + 1).padStart(2)}  ${describeStyle(row.style).padEnd(48)} ${String(row.errorsWithout).padStart(3)} → ${String(row.errorsWith).padStart(3)}  of ${row.judged}  (hand ${describeHand(row.hand)})`,
  );
  process.stdout.write(
    [
      `model ${version}, ${WRITERS} writers (seed ${SEED}${ELASTIC ? ', elastic' : ''}) × ${PER_DIGIT * 10} digits, errors in each stream's second half`,
      `hand: ${JSON.stringify(HAND_DEFAULTS)}; head: ${JSON.stringify(HEAD_DEFAULTS)}; neighbours: ${JSON.stringify(BLEND_DEFAULTS)}`,
      ...lines,
      `personalize with a full memory (${MEMORY_CAP}): median ${overheadMs.toFixed(3)} ms per prediction (Node)`,
      `total: ${r.without} → ${r.withMemory} errors (${(r.reduction * 100).toFixed(1)} % fewer), worst writer ${r.worst >= 0 ? '+' : ''}${r.worst}`,
      '',
    ].join('\n'),
  );
  if (SEED !== DEFAULT_SEED || ELASTIC) {
    process.stdout.write('not the recorded population (seed 11, no elastic): not written\n');
    return;
  }
  // The same defaults on other populations, so the table is not the one they were tuned on.
  const populations = [];
  for (const seed of OTHER_SEEDS) {
    const o = await evaluate(buildWriters(model, seed), DEFAULTS);
    populations.push({ seed, without: o.without, withMemory: o.withMemory, worst: o.worst });
    process.stdout.write(
      `seed ${seed}: ${o.without} → ${o.withMemory} errors (${(o.reduction * 100).toFixed(1)} % fewer), worst writer ${signed(o.worst)}\n`,
    );
  }
  const run: PersonalRun = {
    date: new Date().toISOString(),
    machine: machine.done(),
    live: version,
    blend: { ...BLEND_DEFAULTS },
    head: { ...HEAD_DEFAULTS },
    hand: { ...HAND_DEFAULTS },
    streamLength: PER_DIGIT * 10,
    writers: r.rows.map((row) => ({
      style: describeStyle(row.style),
      judged: row.judged,
      errorsWithout: row.errorsWithout,
      errorsWith: row.errorsWith,
      hand: describeHand(row.hand),
    })),
    populations,
    personalizeMedianMs: overheadMs,
    wallMs: performance.now() - t0,
  };
  recordRun(RESULTS, run);
  process.stdout.write(`written to ${RESULTS}; \`npm run docs\` updates the READMEs\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
