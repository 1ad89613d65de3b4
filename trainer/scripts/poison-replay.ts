// Can one client poison the loop, or a series of releases walk it down? Runs the scenario of
// `scripts/poison/scenario.ts` (a flood of 1s labelled 7 from one client, honest answers from
// others, then rounds of wrong answers) through the real retrain in a scratch copy of models/,
// with the default gate and caps, and prints and records the outcome of every round.
// Usage: npm run poison -w trainer -- [--test 10000] [--rounds 6] [--eval-workers N]
//   [retrain learning flags: --blend, --fit-writers, ...]
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { scratchDir } from 'sync-server/scratch';
import { recordRun, watchMachine, type PoisonRun } from 'sync-server/bench-results';
import { z } from 'zod';
import { initBackend } from '../src/backend';
import { scriptFlags } from '../src/commands/args';
import { MODELS_DIR_FLAG } from '../src/commands/common-flags';
import { RETRAIN_DEFAULTS } from '../src/commands/retrain';
import { learningFlags, learningOptions } from '../src/commands/retrain/learning-flags';
import { loadConfig } from '../src/config';
import { loadMnist } from '../src/data/mnist';
import { pick } from '../src/evaluate';
import { log } from '../src/log';
import { copyLive } from './copy-live';
import { POISONED_DIGIT, runPoisonScenario, type ScenarioRound } from './poison/scenario';

const count = (min: number) => z.coerce.number().int().min(min);
const flagsSchema = z.object({
  'models-dir': MODELS_DIR_FLAG,
  test: count(100).max(10_000).default(10_000).describe('MNIST test digits the gate measures'),
  poison: count(1).default(300).describe('1s the flooding client labels 7'),
  honest: count(1).default(100).describe('honest answers from 10 other clients after the flood'),
  rounds: count(0).default(6).describe('rounds of wrong answers after them'),
  'per-round': count(1).default(50).describe('wrong answers per round, from one new client'),
  replay: count(0).default(RETRAIN_DEFAULTS.replay).describe('as retrain'),
  'eval-workers': count(0).max(16).optional().describe('as retrain'),
  ...learningFlags,
});
type Flags = z.infer<typeof flagsSchema>;

const machine = watchMachine();
const flags = scriptFlags(flagsSchema, process.argv.slice(2));
const config = loadConfig(flags);
const backend = await initBackend();
const test = loadMnist('test');
const mnist = {
  train: loadMnist('train'),
  test:
    flags.test === test.count
      ? test
      : pick(
          test,
          Uint32Array.from({ length: flags.test }, (_, i) => i),
        ),
};

const scratch = await scratchDir('poison-replay-');
const root = scratch.path;
try {
  const modelsDir = join(root, 'models');
  const live = await copyLive(config.modelsDir, modelsDir, backend);
  const pct = (x: number | null | undefined) =>
    typeof x === 'number' ? `${(x * 100).toFixed(2)}%` : 'n/a';
  const result = await runPoisonScenario({
    modelsDir,
    dataDir: join(root, 'new_data'),
    mnist,
    poisonAnswers: flags.poison,
    honestAnswers: flags.honest,
    ratchetRounds: flags.rounds,
    ratchetAnswers: flags['per-round'],
    retrain: {
      ...learningOptions(flags),
      replay: flags.replay,
      ...(flags['eval-workers'] !== undefined && { evalWorkers: flags['eval-workers'] }),
    },
    onRound: (r) => log('info', `${r.kind} round: ${r.outcome}: ${r.reason}`),
  });
  const line = (r: ScenarioRound) =>
    `  ${r.kind.padEnd(8)} ${String(r.answers).padStart(4)} answers: ${r.outcome}` +
    ` (capped ${r.capped ?? 'n/a'}, disputed ${r.disputed ?? 'n/a'}), live MNIST test ${pct(r.live.accuracy)},` +
    ` recall of ${POISONED_DIGIT} ${pct(r.live.perDigitRecall[POISONED_DIGIT])}, ${(r.wallMs / 1000).toFixed(1)} s`;
  process.stdout.write(
    [
      `poisoning and ratchet on ${live} (backend ${backend}, ${mnist.test.count} test digits)`,
      `  before: MNIST test ${pct(result.before.accuracy)}, recall of ${POISONED_DIGIT} ${pct(result.before.perDigitRecall[POISONED_DIGIT])}; champion ${pct(result.champion)}, floor ${pct(result.champion - 0.002)}`,
      ...result.rounds.map(line),
      '',
    ].join('\n'),
  );
  const run: PoisonRun = {
    date: new Date().toISOString(),
    machine: machine.done(),
    live,
    backend,
    testDigits: mnist.test.count,
    variant: variant(flags),
    digit: POISONED_DIGIT,
    before: {
      accuracy: result.before.accuracy,
      recall: result.before.perDigitRecall[POISONED_DIGIT] ?? null,
    },
    champion: result.champion,
    rounds: result.rounds.map((r) => ({
      kind: r.kind,
      answers: r.answers,
      outcome: r.outcome,
      reason: r.reason,
      capped: r.capped,
      wallMs: r.wallMs,
      accuracy: r.live.accuracy,
      recall: r.live.perDigitRecall[POISONED_DIGIT] ?? null,
    })),
  };
  const file = fileURLToPath(new URL('../bench/poison.json', import.meta.url));
  recordRun<PoisonRun>(file, run, (earlier) => earlier.variant === run.variant);
  process.stdout.write(`written to ${file}; \`npm run docs\` updates the READMEs\n`);
} finally {
  await scratch.remove();
}

/** The flags that differ from their defaults, as typed, or `default`. */
function variant(f: Flags): string {
  const defaults = flagsSchema.parse({});
  const changed = Object.entries(f).flatMap(([name, value]) =>
    name === 'models-dir' || name === 'eval-workers' || value === defaults[name as keyof Flags]
      ? []
      : [`--${name} ${value}`],
  );
  return changed.length ? changed.join(' ') : 'default';
}
