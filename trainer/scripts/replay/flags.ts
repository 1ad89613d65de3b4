// The replay's flags (`npm run replay -w trainer -- --help` lists them) and the name a run is
// recorded under in bench/replay.json: the flags that differ from their defaults.
import { z } from 'zod';
import { MODELS_DIR_FLAG } from '../../src/commands/common-flags';
import { RETRAIN_DEFAULTS } from '../../src/commands/retrain';
import { learningFlags } from '../../src/commands/retrain/learning-flags';

const count = (min: number) => z.coerce.number().int().min(min);

export const replayFlagsSchema = z.object({
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
export type ReplayFlags = z.infer<typeof replayFlagsSchema>;

// Flags that change how a run is carried out or reported, not what it measures.
const NOT_IN_VARIANT = new Set(['models-dir', 'explain']);

/**
 * The flags that differ from their defaults, as typed: `--lr 1e-4 --epochs 3`, or `default`.
 * It is the run's row in the results file: a re-run of the same setting replaces its row.
 */
export function variant(f: ReplayFlags): string {
  const defaults = replayFlagsSchema.parse({});
  const changed = Object.entries(f).flatMap(([name, value]) => {
    if (NOT_IN_VARIANT.has(name) || value === defaults[name as keyof ReplayFlags]) return [];
    const shown =
      typeof value === 'number' && value > 0 && value < 0.01 ? value.toExponential() : value;
    return [`--${name} ${shown}`];
  });
  return changed.length ? changed.join(' ') : 'default';
}
