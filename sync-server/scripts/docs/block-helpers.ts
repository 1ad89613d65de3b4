// Helpers shared by the README block renderers: provenance lines, picking figures by case, timings.
import { dates, loadSpan, machineLine, ms, span } from './format';
import type { Figure, Machine } from './results';
import type { Sources } from './sources';

type Run = { date: string; machine: Machine; source?: string | undefined; invocations: number };

/** Which runs, on what, when and at what load; and whether some were transcribed. */
export function provenance(file: string, runs: Run[]): string {
  const count = runs.reduce((n, r) => n + r.invocations, 0);
  const machines = runs.map((r) => r.machine);
  const transcribed = runs.some((r) => r.source)
    ? ' Some figures were transcribed from an earlier README, not written by the bench (see `source` there).'
    : '';
  return (
    `From \`${file}\`: ${count} run${count === 1 ? '' : 's'} on ${dates(runs)}, ` +
    `${machineLine(machines)}, ${loadSpan(machines)}.${transcribed}`
  );
}

/** What `get` finds in each of `rows`, leaving out the rows (older runs) that lack it. */
export function recorded<T, V>(rows: T[], get: (row: T) => V | undefined): V[] {
  return rows.flatMap((row) => {
    const value = get(row);
    return value === undefined ? [] : [value];
  });
}

/**
 * The rows of several runs grouped by case (`key`: a size, maybe with a suffix), the cases by
 * size, a plain size before its marked variants.
 */
export function byCase<T>(rowsPerRun: T[][], key: (row: T) => string): T[][] {
  const cases = [...new Set(rowsPerRun.flatMap((rows) => rows.map(key)))].sort(
    (a, b) => parseInt(a, 10) - parseInt(b, 10) || a.length - b.length,
  );
  return cases.map((c) => rowsPerRun.flatMap((rows) => rows.filter((z) => key(z) === c)));
}

/** A retrain-scale case: `100000`, or `100000-backlog` when more than one subset is unpublished. */
export const scaleCase = (z: { stored: number; unpublished?: number | undefined }) =>
  `${z.stored}${z.unpublished === undefined ? '' : '-backlog'}`;

/** A wall-time case as the bench names it: `10`, or `10-writers` for the two-writer subset. */
export const wallCase = (z: { samples: number; writerDigits?: number | undefined }) =>
  `${z.samples}${z.writerDigits === undefined ? '' : '-writers'}`;

/** Start-up times with `stored` answers, over the kept runs. */
export function startupTimes(s: Sources, stored: number): Figure[] {
  return s.serverStartup.flatMap((r) =>
    r.cases.filter((c) => c.stored === stored).map((c) => c.healthyMs),
  );
}

/** The wall times of one case (`key`) of a retrain bench, over the kept runs. */
export function caseTimes<Z extends { wallMs: Figure }>(
  runs: ReadonlyArray<{ sizes: Z[] }>,
  key: (z: Z) => string,
  c: string,
): Figure[] {
  return runs.flatMap((r) => r.sizes.filter((z) => key(z) === c).map((z) => z.wallMs));
}

/** `p50 a–b ms, p95 c–d ms` over the runs' timings, as every prediction row prints them. */
export function p50p95(timings: Array<{ p50Ms: Figure; p95Ms: Figure }>): string {
  const at = (get: (t: { p50Ms: Figure; p95Ms: Figure }) => Figure) => span(timings.map(get), ms);
  return `p50 ${at((t) => t.p50Ms)} ms, p95 ${at((t) => t.p95Ms)} ms`;
}
