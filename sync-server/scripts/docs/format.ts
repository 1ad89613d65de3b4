// Number formatting for the generated README figures.
import type { Figure, Machine } from './results';

const DASH = '–';

/** Every number a list of figures holds (a range contributes both ends). */
function numbers(figures: Figure[]): number[] {
  return figures.flatMap((f) => (f === null ? [] : typeof f === 'number' ? [f] : f));
}

/** One figure over several runs: `x`, or `low–high`, or a dash when no run recorded it. */
export function span(figures: Figure[], format: (n: number) => string): string {
  const all = numbers(figures);
  if (all.length === 0) return DASH;
  const [low, high] = [Math.min(...all), Math.max(...all)];
  const [a, b] = [format(low), format(high)];
  return a === b ? a : `${a}–${b}`;
}

export const fixed = (digits: number) => (n: number) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const int = fixed(0);

/** Milliseconds: one decimal below 10 ms, whole numbers above. */
export const ms = (n: number) => (n < 10 ? fixed(1)(n) : int(n));

export const seconds = (digits: number) => (msValue: number) => fixed(digits)(msValue / 1000);

/** A fraction as a percentage with two decimals (0.923 → 92.30). */
export const pct = (x: number) => fixed(2)(x * 100);

/** `load average 1.4–3.7`, or that the runs did not record it. */
export function loadSpan(machines: Machine[]): string {
  const value = span(
    machines.map((m) => (m.load ? [m.load.min, m.load.max] : null)),
    fixed(1),
  );
  return value === DASH ? 'load not recorded' : `load average ${value}`;
}

/** `2 × Intel Xeon …, 24 GiB, Node v20.20` for each distinct machine, then the browsers. */
export function machineLine(machines: Machine[]): string {
  const names = machines.map((m) => `${m.cpus} × ${m.cpuModel}, ${m.memGiB} GiB, Node ${m.node}`);
  const browsers = machines.flatMap((m) => (m.browser ? [m.browser] : []));
  const line = [...new Set(names)].join('; ');
  return browsers.length ? `${line}, ${[...new Set(browsers)].join(', ')}` : line;
}

export function dates(list: Array<{ date: string }>): string {
  return [...new Set(list.map((r) => r.date.slice(0, 10)))].sort().join(', ');
}

export function table(header: string[], rows: string[][], align?: Array<'l' | 'r'>): string {
  const rule = header.map((_, i) => (align?.[i] === 'r' ? '---:' : '---'));
  return [header, rule, ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}
