// `npm run bench:personal -w web`: does the personal memory help the writer who uses it? Per
// synthetic writer (MNIST test digits in one fixed style, see sync-server/src/contract/writers.ts), a stream:
// predict, answer with the true label, remember, next. Counts the errors in the second half of
// each stream with the model alone and with the memory blended in (src/memory/blend.ts, the
// browser's own code), prints the table and records it for the README (`npm run docs`).
import path from 'node:path';
import { PIXEL_COUNT } from 'sync-server/contract';
import { recordRun, watchMachine, type PersonalRun } from 'sync-server/bench-results';
import { REPO } from '../e2e/server';
import { BLEND_DEFAULTS, normalize } from '../src/memory/blend';
import { HEAD_DEFAULTS, PersonalHead } from '../src/memory/head';
import { MEMORY_CAP } from '../src/memory/memory-db';
import { personalize } from '../src/memory/personalize';
import { loadMnistTest } from './personal/mnist-test';
import { loadLiveModel, outputs } from './personal/model';
import { runStream, type StreamDigit, type StreamOptions } from './personal/stream';
import {
  createRng,
  describeStyle,
  randomStyle,
  writeAs,
  type WriterStyle,
} from 'sync-server/writers';

const WRITERS = 12;
const PER_DIGIT = 12; // per class and writer: a stream of 120 digits, 60 judged
// The recorded population. `--seed N` draws another one: printed, never recorded, so the README's
// table stays the same writers (other populations show how far the defaults carry).
const DEFAULT_SEED = 11;
const SEED = seedArgument(process.argv) ?? DEFAULT_SEED;
const RESULTS = path.join(REPO, 'web', 'bench', 'personal.json');

/** `--seed N` (a positive integer), or undefined when absent. */
function seedArgument(argv: readonly string[]): number | undefined {
  const at = argv.indexOf('--seed');
  if (at < 0) return undefined;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--seed takes a positive integer, got ${argv[at + 1] ?? 'nothing'}`);
  }
  return value;
}

interface Writer {
  style: WriterStyle;
  digits: StreamDigit[];
}

/** Each writer gets PER_DIGIT distinct test digits of every class, in a shuffled order. */
async function buildWriters(modelsDir: string) {
  const mnist = loadMnistTest();
  const random = createRng(SEED);
  const byClass = Array.from({ length: 10 }, () => [] as number[]);
  for (let i = 0; i < mnist.count; i++) byClass[mnist.labels[i]!]!.push(i);
  const { version, model } = await loadLiveModel(modelsDir);
  const writers: Writer[] = [];
  for (let w = 0; w < WRITERS; w++) {
    const style = randomStyle(random);
    const picks = byClass.flatMap((ids) => ids.slice(w * PER_DIGIT, (w + 1) * PER_DIGIT));
    for (let i = picks.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [picks[i], picks[j]] = [picks[j]!, picks[i]!];
    }
    const images = new Uint8Array(picks.length * PIXEL_COUNT);
    picks.forEach((id, i) => {
      const digit = mnist.images.subarray(id * PIXEL_COUNT, (id + 1) * PIXEL_COUNT);
      images.set(writeAs(digit, style), i * PIXEL_COUNT);
    });
    const labels = picks.map((id) => mnist.labels[id]!);
    writers.push({ style, digits: await outputs(model, images, labels) });
  }
  model.dispose();
  return { version, writers };
}

const DEFAULTS: StreamOptions = { blend: BLEND_DEFAULTS, head: HEAD_DEFAULTS };

function evaluate(writers: Writer[], options: StreamOptions) {
  const rows = writers.map((w) => ({ style: w.style, ...runStream(w.digits, options) }));
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
function personalizeMs(writers: Writer[]): number {
  const digits = writers.flatMap((w) => w.digits);
  const rows = Array.from({ length: MEMORY_CAP }, (_, i) => digits[i % digits.length]!);
  const dim = rows[0]!.embedding.length;
  const head = new PersonalHead(dim, HEAD_DEFAULTS);
  head.step(rows);
  const vectors = new Float32Array(MEMORY_CAP * dim);
  rows.forEach((r, i) => vectors.set(normalize(r.embedding), i * dim));
  const index = { dim, count: MEMORY_CAP, vectors, labels: Uint8Array.from(rows, (r) => r.label) };
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const d = digits[i % digits.length]!;
    const t0 = performance.now();
    personalize(d.probabilities, d.embedding, { head, index });
    samples.push(performance.now() - t0);
  }
  return samples.sort((a, b) => a - b)[samples.length >> 1]!;
}

/** `--sweep`: the same streams under other radii and weights, to choose BLEND_DEFAULTS. */
function sweep(writers: Writer[]): void {
  for (const radius of [0.03, 0.06, 0.1]) {
    for (const learningRate of [0.02, 0.05, 0.1]) {
      for (const l2 of [0.03, 0.1, 0.3]) {
        const r = evaluate(writers, {
          blend: { ...BLEND_DEFAULTS, radius },
          head: { learningRate, l2 },
        });
        process.stdout.write(
          `radius ${radius} learningRate ${learningRate} l2 ${l2}: ${r.without} → ${r.withMemory} (${(r.reduction * 100).toFixed(0)} %), worst writer ${r.worst >= 0 ? '+' : ''}${r.worst}\n`,
        );
      }
    }
  }
}

async function main(): Promise<void> {
  const machine = watchMachine();
  const t0 = performance.now();
  const { version, writers } = await buildWriters(path.join(REPO, 'models'));
  if (process.argv.includes('--sweep')) return sweep(writers);
  const r = evaluate(writers, DEFAULTS);
  const overheadMs = personalizeMs(writers);
  const lines = r.rows.map(
    (row, i) =>
      `writer ${String(i + 1).padStart(2)}  ${describeStyle(row.style).padEnd(48)} ${String(row.errorsWithout).padStart(3)} → ${String(row.errorsWith).padStart(3)}  of ${row.judged}`,
  );
  process.stdout.write(
    [
      `model ${version}, ${WRITERS} writers (seed ${SEED}) × ${PER_DIGIT * 10} digits, errors in each stream's second half`,
      `head: ${JSON.stringify(HEAD_DEFAULTS)}; neighbours: ${JSON.stringify(BLEND_DEFAULTS)}`,
      ...lines,
      `personalize with a full memory (${MEMORY_CAP}): median ${overheadMs.toFixed(3)} ms per prediction (Node)`,
      `total: ${r.without} → ${r.withMemory} errors (${(r.reduction * 100).toFixed(1)} % fewer), worst writer ${r.worst >= 0 ? '+' : ''}${r.worst}`,
      '',
    ].join('\n'),
  );
  const run: PersonalRun = {
    date: new Date().toISOString(),
    machine: machine.done(),
    live: version,
    blend: { ...BLEND_DEFAULTS },
    head: { ...HEAD_DEFAULTS },
    streamLength: PER_DIGIT * 10,
    writers: r.rows.map((row) => ({
      style: describeStyle(row.style),
      judged: row.judged,
      errorsWithout: row.errorsWithout,
      errorsWith: row.errorsWith,
    })),
    personalizeMedianMs: overheadMs,
    wallMs: performance.now() - t0,
  };
  if (SEED !== DEFAULT_SEED) {
    process.stdout.write(`seed ${SEED} is not the recorded population: not written\n`);
    return;
  }
  recordRun(RESULTS, run);
  process.stdout.write(`written to ${RESULTS}; \`npm run docs\` updates the READMEs\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
