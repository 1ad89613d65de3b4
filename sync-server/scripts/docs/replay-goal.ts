// The learning goal, judged from the replay's runs at today's defaults: 100 answers from
// writers unlike MNIST remove at least half of the live model's errors on the same writers'
// other digits, with MNIST test at most 0.1 point below where it started (the champion).
// Picks the runs of the root README's `replay-defaults` block and renders the summary's row.
import { fixed, span } from './format';
import type { Sources } from './sources';

type ReplayRun = Sources['replay'][number];

/** Flags that draw another population of writers or another retrain seed, nothing else. */
const POPULATION_OR_SEED = /^--(?:seed|writer-seed|writer-strength) \S+$/;

/** Half of the errors removed; at most 0.1 point (10 of 10,000 digits) of MNIST test lost. */
const GOAL = { removed: 0.5, mnistDropPoints: 0.1 };
const GOAL_TEXT = '≥ 50 % of errors removed, MNIST test ≤ 0.1 point down';

/** The single-round runs at today's defaults: on any population, with any retrain seed. */
export function runsAtDefaults(runs: ReplayRun[]): ReplayRun[] {
  return runs.filter((run) => {
    if (run.rounds.length !== 1) return false;
    if (run.variant === 'default') return true;
    const flags = run.variant.split(/ (?=--)/);
    return flags.every((flag) => POPULATION_OR_SEED.test(flag));
  });
}

export interface GoalResult {
  /** Share of the writers' errors removed (digit counts, so a half is exactly 0.5). */
  removed: number;
  /** MNIST test lost by the round, in points, to 0.01. */
  mnistDrop: number;
  met: boolean;
}

/** How one run did against the goal; null when it lacks the figures. */
export function goalOf(run: ReplayRun): GoalResult | null {
  const writers = run.sets.find((set) => set.name === 'writers');
  const round = run.rounds.at(-1);
  if (!writers || !round) return null;
  const { before, after } = writers;
  const mnist = round.mnistTest;
  if (typeof before !== 'number' || typeof after !== 'number') return null;
  if (typeof mnist.before !== 'number' || typeof mnist.after !== 'number') return null;
  const errorsBefore = Math.round((1 - before) * writers.digits);
  const errorsAfter = Math.round((1 - after) * writers.digits);
  if (errorsBefore === 0) return null;
  const removed = (errorsBefore - errorsAfter) / errorsBefore;
  const mnistDrop = Math.round((mnist.before - mnist.after) * 10_000) / 100;
  const met =
    round.outcome === 'published' && removed >= GOAL.removed && mnistDrop <= GOAL.mnistDropPoints;
  return { removed, mnistDrop, met };
}

/** The summary's row: the spread over the runs at defaults, and in how many the goal was met. */
export function learningGoalRow(s: Sources): string[] {
  const what = 'learning from 100 answers of writers unlike MNIST (replay, defaults)';
  const results = runsAtDefaults(s.replay).flatMap((run) => goalOf(run) ?? []);
  if (results.length === 0) return [what, 'no run at the defaults recorded', GOAL_TEXT];
  const removed = span(
    results.map((r) => r.removed * 100),
    fixed(0),
  );
  const drop = span(
    results.map((r) => r.mnistDrop),
    fixed(2),
  );
  const met = results.filter((r) => r.met).length;
  return [
    what,
    `${removed} % of their errors removed, MNIST test ${drop} point down, over ${results.length} runs (populations and retrain seeds); **goal met in ${met} of ${results.length}**`,
    GOAL_TEXT,
  ];
}
