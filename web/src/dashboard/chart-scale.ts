/** A value axis: its ends and the ticks between them, all in [0, 1]. */
export interface Axis {
  min: number;
  max: number;
  ticks: number[];
}

// Steps a tick may take, as fractions of 1 (0.05 percentage points up to 25 points).
const STEPS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];
const MAX_TICKS = 6;

/**
 * An axis that fits the values (a slide from 99.62 % to 99.41 % fills the chart instead of
 * hiding at the top of 0–100 %), rounded out to whole steps, never past 0 or 1.
 */
export function fitAxis(values: number[]): Axis {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return { min: 0, max: 1, ticks: [0, 0.25, 0.5, 0.75, 1] };
  let low = Math.min(...finite);
  let high = Math.max(...finite);
  // One value, or all equal: show a small band around it.
  const pad = Math.max((high - low) * 0.1, 0.001);
  low -= pad;
  high += pad;
  const step = STEPS.find((s) => (high - low) / s <= MAX_TICKS - 1) ?? 0.25;
  const min = Math.max(0, Math.floor(low / step) * step);
  const max = Math.min(1, Math.ceil(high / step) * step);
  const ticks: number[] = [];
  for (let t = min; t <= max + step / 2; t += step) ticks.push(Number(t.toFixed(6)));
  return { min: ticks[0] ?? min, max: ticks.at(-1) ?? max, ticks };
}

/** Decimals a tick label needs so neighbouring ticks never read the same. */
export function tickDigits(axis: Axis): number {
  const step = (axis.ticks[1] ?? 1) - (axis.ticks[0] ?? 0);
  return Math.max(0, Math.min(2, Math.ceil(-Math.log10(step * 100) + 1e-9)));
}
