// The web README's `personal-bench` block: errors per synthetic writer, with and without memory.
import { provenance } from './block-helpers';
import { fixed, pct, table } from './format';
import { RESULT_FILES, type Sources } from './sources';

const MEMORY_CAP_NOTE = 'a full memory (500 answers)';

/** Per writer of the newest run: errors in the second half of the stream, without → with. */
export function personalBench(s: Sources): string {
  const run = s.personal[s.personal.length - 1]!;
  const hands = run.writers.some((w) => w.hand !== undefined);
  const rows = run.writers.map((w, i) => [
    String(i + 1),
    w.style,
    String(w.judged),
    String(w.errorsWithout),
    String(w.errorsWith),
    ...(hands ? [w.hand ?? ''] : []),
  ]);
  const { without, withMemory, worst } = personalTotals(run);
  const judged = run.writers.reduce((n, w) => n + w.judged, 0);
  const fewer = fewerShare({ without, withMemory });
  rows.push([
    'all',
    '',
    String(judged),
    String(without),
    String(withMemory),
    ...(hands ? [''] : []),
  ]);
  const headers = ['writer', 'style', 'judged', 'errors, model alone', 'errors, with memory'];
  return [
    provenance(RESULT_FILES.personal, [run]),
    `Live model \`${run.live}\`; streams of ${run.streamLength} digits; ` +
      (run.hand ? `hand \`${JSON.stringify(run.hand)}\`, ` : '') +
      `head \`${JSON.stringify(run.head)}\`, neighbours \`${JSON.stringify(run.blend)}\`.`,
    '',
    table(
      hands ? [...headers, 'hand fitted by the end'] : headers,
      rows,
      hands ? ['r', 'l', 'r', 'r', 'r', 'l'] : ['r', 'l', 'r', 'r', 'r'],
    ),
    '',
    `${pct(fewer)} % fewer errors (goal ≥ 40 %); the worst writer's change: ` +
      `${signed(worst)} (goal ≤ +1).` +
      (run.personalizeMedianMs === undefined
        ? ''
        : ` The memory adds a median ${fixed(3)(run.personalizeMedianMs)} ms to a prediction ` +
          `with ${MEMORY_CAP_NOTE} (Node, same code as the browser).`),
    ...(run.populations?.length
      ? ['', ...personalPopulations(run.populations, run.writers.length)]
      : []),
  ].join('\n');
}

/** The same defaults on other seeded populations, recorded by the same run. */
function personalPopulations(
  populations: NonNullable<Sources['personal'][number]['populations']>,
  writers: number,
): string[] {
  const met = populations.filter(meetsPersonalGoal);
  const rows = populations.map((p) => [
    String(p.seed),
    String(p.without),
    String(p.withMemory),
    pct(fewerShare(p)),
    signed(p.worst),
  ]);
  return [
    `Other populations (${writers} writers each, drawn by seed), same defaults, same run: the goal is met ` +
      `on ${met.length} of ${populations.length}.`,
    '',
    table(['seed', 'errors, model alone', 'errors, with memory', '% fewer', 'worst writer'], rows, [
      'r',
      'r',
      'r',
      'r',
      'r',
    ]),
  ];
}

interface PersonalTotals {
  without: number;
  withMemory: number;
  /** The largest change in one writer's errors (positive: worse with the memory). */
  worst: number;
}

/** A personal-bench run's recorded population, totalled like its other populations. */
export function personalTotals(run: Sources['personal'][number]): PersonalTotals {
  return {
    without: run.writers.reduce((n, w) => n + w.errorsWithout, 0),
    withMemory: run.writers.reduce((n, w) => n + w.errorsWith, 0),
    worst: Math.max(...run.writers.map((w) => w.errorsWith - w.errorsWithout)),
  };
}

/** The share of the model's errors the memory removed. */
export function fewerShare(p: Pick<PersonalTotals, 'without' | 'withMemory'>): number {
  return p.without ? (p.without - p.withMemory) / p.without : 0;
}

/** The personalization goal: at least 40 % fewer errors, and no writer more than one worse. */
export function meetsPersonalGoal(p: PersonalTotals): boolean {
  return fewerShare(p) >= 0.4 && p.worst <= 1;
}

function signed(n: number): string {
  return `${n > 0 ? '+' : ''}${n}`;
}
