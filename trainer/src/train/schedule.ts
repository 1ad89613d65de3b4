export type ScheduleKind = 'cosine' | 'constant';

/**
 * Learning rate at `step` of `totalSteps`: a short linear warm-up (≤ 3 % of the run, at most
 * 200 steps) then cosine decay to `minFraction` of the base rate; `constant` keeps the base.
 */
export function learningRateAt(
  kind: ScheduleKind,
  base: number,
  step: number,
  totalSteps: number,
  minFraction = 0.01,
): number {
  if (kind === 'constant' || totalSteps <= 1) return base;
  const warmup = Math.min(200, Math.floor(totalSteps * 0.03));
  if (step < warmup) return (base * (step + 1)) / warmup;
  const progress = Math.min(1, (step - warmup) / Math.max(1, totalSteps - warmup));
  const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
  return base * (minFraction + (1 - minFraction) * cosine);
}
