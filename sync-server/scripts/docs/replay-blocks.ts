// The `replay` block (trainer/LEARNING.md), `poison` (trainer/README.md) and `replay-defaults`
// (root README).
import { provenance } from './block-helpers';
import { fixed, int, pct, seconds, span, table } from './format';
import type { Figure } from './results';
import { goalOf, runsAtDefaults } from './replay-goal';
import { RESULT_FILES, type Sources } from './sources';

const arrow = (before: Figure, after: Figure) =>
  before === null && after === null ? '' : `${span([before], pct)} → ${span([after], pct)} %`;
const secondsOf = (wallMs: Figure) => (wallMs === null ? '' : `${span([wallMs], seconds(1))} s`);

/** The replay's judged clean digits, next to the replayed set. */
const MNIST_PART = 'mnist-test 5000+';

/** Share of the errors before that are gone after, in %: the replay goal is half or more. */
function errorsRemoved(before: Figure, after: Figure): string {
  if (typeof before !== 'number' || typeof after !== 'number' || before >= 1) return '';
  return `${fixed(0)(((after - before) / (1 - before)) * 100)} %`;
}

export function replay(s: Sources): string {
  return [provenance(RESULT_FILES.replay, s.replay), '', replayTable(s.replay)].join('\n');
}

/** The root README's short table: only the runs at today's defaults, each against the goal. */
export function replayDefaults(s: Sources): string {
  const runs = runsAtDefaults(s.replay);
  return [
    provenance(RESULT_FILES.replay, runs),
    '',
    replayTable(runs, (run) => {
      const goal = goalOf(run);
      return goal === null ? '' : goal.met ? 'met' : 'not met';
    }),
  ].join('\n');
}

function replayTable(runs: Sources['replay'], goal?: (run: Sources['replay'][number]) => string) {
  const rows = runs.map((run) => {
    const cells = run.rounds.length > 1 ? replayInRounds(run) : replayRow(run);
    return goal ? [...cells, goal(run)] : cells;
  });
  return table(
    [
      'retrain',
      'feedback',
      'judged: same writers or shift',
      'errors removed',
      'fixed / broken (z)',
      'MNIST 5000+',
      'MNIST test (gate)',
      'holdout',
      'time',
      ...(goal ? ['goal'] : []),
    ],
    rows,
  );
}

function replayRow(run: Sources['replay'][number]): string[] {
  const round = run.rounds.at(-1)!;
  const shifted = run.sets.find((set) => set.name !== MNIST_PART);
  const held = `${span([round.holdoutSamples], int)} held out`;
  const published = round.outcome === 'published';
  // A rejected candidate never went live: only the gate's own figures say anything about it.
  const judged = published ? judgedColumns(run) : [`${round.outcome}: ${round.reason}`, '', '', ''];
  return [
    replayName(run),
    `${int(run.feedback)} ${shifted?.name ?? ''} (${held})`,
    ...judged,
    arrow(round.mnistTest.before, round.mnistTest.after),
    published ? arrow(round.holdout.before, round.holdout.after) : '',
    secondsOf(round.wallMs),
  ];
}

const replayName = (run: Sources['replay'][number]) =>
  run.variant === 'default' ? 'default' : `\`${run.variant}\``;

/**
 * A replay fed in several rounds (`--per-round`): the judged sets compare the live model
 * before the first round with the live model after the last (the last candidate published),
 * MNIST test (gate) the same two, and the time is all rounds'.
 */
function replayInRounds(run: Sources['replay'][number]): string[] {
  const shifted = run.sets.find((set) => set.name !== MNIST_PART);
  const published = run.rounds.filter((r) => r.outcome === 'published');
  const first = run.rounds[0]!;
  const live = published.at(-1)?.mnistTest.after ?? first.mnistTest.before;
  // A round without a single measured time leaves the total unknown, not short.
  const times = run.rounds.map((r) => r.wallMs);
  const wallMs = times.every((t): t is number => typeof t === 'number')
    ? times.reduce((sum, t) => sum + t, 0)
    : null;
  return [
    replayName(run),
    `${int(run.feedback)} ${shifted?.name ?? ''} in ${run.rounds.length} rounds, ${published.length} published`,
    ...judgedColumns(run),
    arrow(first.mnistTest.before, live),
    '',
    secondsOf(wallMs),
  ];
}

/**
 * The replay's judged sets, the live model before against after: the replayed set's
 * accuracy, errors removed, fixed / broken (z), and the clean MNIST part's accuracy.
 */
function judgedColumns(run: Sources['replay'][number]): string[] {
  const mnistPart = run.sets.find((set) => set.name === MNIST_PART);
  const shifted = run.sets.find((set) => set !== mnistPart);
  return [
    shifted ? arrow(shifted.before, shifted.after) : '',
    shifted ? errorsRemoved(shifted.before, shifted.after) : '',
    shifted
      ? `${span([shifted.fixed], int)} / ${span([shifted.broken], int)} (${span([shifted.z], fixed(1))})`
      : '',
    mnistPart ? arrow(mnistPart.before, mnistPart.after) : '',
  ];
}

const KIND: Record<string, string> = {
  poison: 'one client labels 1s as 7',
  honest: 'honest answers from 10 other clients',
  ratchet: 'wrong answers from one new client',
};

// One table per run: every round of the poisoning and ratchet scenario with the live model
// after it, against the champion's floor.
export function poison(s: Sources): string {
  const tables = s.poison.flatMap((run) => {
    const name = run.variant === 'default' ? 'default settings' : `\`${run.variant}\``;
    const floor = typeof run.champion === 'number' ? run.champion - 0.002 : null;
    const rows = [
      ['before', '', '', '', span([run.before.accuracy], pct), span([run.before.recall], pct), ''],
      ...run.rounds.map((r) => [
        KIND[r.kind] ?? r.kind,
        int(r.answers),
        r.outcome === 'published' ? 'published' : `${r.outcome}: ${r.reason}`,
        span([r.capped], int),
        span([r.accuracy], pct),
        span([r.recall], pct),
        secondsOf(r.wallMs),
      ]),
    ];
    return [
      `${name}, ${int(run.testDigits)} MNIST test digits, live ${run.live}, backend ${run.backend}: champion ${span([run.champion], pct)} %, floor ${span([floor], pct)} %.`,
      '',
      table(
        [
          'round',
          'answers',
          'outcome',
          'capped',
          'live MNIST test %',
          `recall of ${run.digit} %`,
          'time',
        ],
        rows,
        ['l', 'r', 'l', 'r', 'r', 'r', 'r'],
      ),
      '',
    ];
  });
  return [provenance(RESULT_FILES.poison, s.poison), '', ...tables].join('\n').trimEnd();
}
