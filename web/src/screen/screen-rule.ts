import type { Box, InkStats } from './ink-stats';

/** Why an input is no plausible digit, in the words the page shows. */
export type UnsureReason = 'blank' | 'tiny' | 'faint' | 'scribble' | 'several' | 'uncertain';

export type ScreenVerdict = { ok: true } | { ok: false; reason: UnsureReason };

// Sizes are fractions of the pad's shorter side, areas of the pad's area. The pen is about 7 %
// of the side, so a tap leaves a dot about that wide.
/** The ink's box must be at least this long on its longer side. */
export const MIN_EXTENT = 0.12;
/** At least this much of the pad must be ink. */
export const MIN_INK = 0.008;
/** Ink over this share of the pad is a scribble, whatever its shape. */
export const MAX_INK = 0.35;
/** A box this wide and high that is this full of ink is a scribble (digits are strokes). */
export const SCRIBBLE_COVER = 0.6;
export const SCRIBBLE_DENSITY = 0.5;
/** Marks this far apart are separate things (two digits, a digit and a stray mark). */
export const FAR_APART = 0.2;
/** Borderline: a drawing near a limit passes only when the model is sure of it. */
export const NEAR_APART = 0.08;
export const NEAR_MIN_INK = 0.015;
export const NEAR_DENSITY = 0.35;
export const SURE_WHEN_BORDERLINE = 0.8;
/** The model alone: a best guess under this is a shrug, not an answer. */
export const MIN_TOP_PROBABILITY = 0.4;

/**
 * Is this drawing a plausible digit? The rule, judged on the raw drawing before `toMnist`
 * (which would blow a dot up to a disc and shrink two digits into one box) and then with the
 * model's own uncertainty:
 *
 * 1. blank: no ink;
 * 2. tiny: the ink's box is shorter than `MIN_EXTENT` of the pad on its longer side (a dot);
 * 3. faint: less than `MIN_INK` of the pad is ink (too little to be a digit);
 * 4. scribble: more than `MAX_INK` of the pad is ink, or a box covering `SCRIBBLE_COVER` of the
 *    pad both ways is over `SCRIBBLE_DENSITY` full;
 * 5. several: the marks (connected ink, specks aside) fall into groups `FAR_APART` apart;
 * 6. borderline (marks `NEAR_APART` apart, ink under `NEAR_MIN_INK`, or a wide box over
 *    `NEAR_DENSITY` full): unsure unless the model gives its best guess `SURE_WHEN_BORDERLINE`;
 * 7. uncertain: the model's best guess is under `MIN_TOP_PROBABILITY`.
 *
 * `top` is the model's best probability, or null when it has not run (rules 1-5 need no model).
 */
export function screenDrawing(stats: InkStats, top: number | null): ScreenVerdict {
  const hard = rawReason(stats);
  if (hard) return { ok: false, reason: hard };
  if (top === null) return { ok: true };
  if (borderline(stats) && top < SURE_WHEN_BORDERLINE) return { ok: false, reason: 'uncertain' };
  if (top < MIN_TOP_PROBABILITY) return { ok: false, reason: 'uncertain' };
  return { ok: true };
}

/**
 * A photo is judged by blank and the model only: a page photographed whole has a thin pen and
 * paper texture, which the pad rules would read as faint or as several marks.
 */
export function screenPhoto(stats: InkStats, top: number | null): ScreenVerdict {
  if (!stats.box) return { ok: false, reason: 'blank' };
  if (top !== null && top < MIN_TOP_PROBABILITY) return { ok: false, reason: 'uncertain' };
  return { ok: true };
}

function rawReason(stats: InkStats): UnsureReason | null {
  const { box, side, inkFraction } = stats;
  if (!box) return 'blank';
  if (Math.max(box.x1 - box.x0 + 1, box.y1 - box.y0 + 1) < MIN_EXTENT * side) return 'tiny';
  if (inkFraction < MIN_INK) return 'faint';
  const { cover, density } = boxFill(stats, box);
  if (inkFraction > MAX_INK || (cover >= SCRIBBLE_COVER && density > SCRIBBLE_DENSITY)) {
    return 'scribble';
  }
  if (groups(stats.marks, FAR_APART * side) > 1) return 'several';
  return null;
}

function borderline(stats: InkStats): boolean {
  const { cover, density } = boxFill(stats, stats.box!);
  return (
    stats.inkFraction < NEAR_MIN_INK ||
    (cover >= SCRIBBLE_COVER && density > NEAR_DENSITY) ||
    groups(stats.marks, NEAR_APART * stats.side) > 1
  );
}

/** How much of the pad the box spans on its narrower axis, and how full of ink it is. */
function boxFill(stats: InkStats, box: Box) {
  const w = box.x1 - box.x0 + 1;
  const h = box.y1 - box.y0 + 1;
  return { cover: Math.min(w, h) / stats.side, density: stats.ink / (w * h) };
}

/** How many groups the marks form when marks closer than `gap` px join one group. */
function groups(marks: Box[], gap: number): number {
  const parent = marks.map((_, i) => i);
  const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i]!)));
  for (let a = 0; a < marks.length; a++) {
    for (let b = a + 1; b < marks.length; b++) {
      if (distance(marks[a]!, marks[b]!) < gap) parent[root(a)] = root(b);
    }
  }
  return new Set(marks.map((_, i) => root(i))).size;
}

function distance(a: Box, b: Box): number {
  const dx = Math.max(0, b.x0 - a.x1, a.x0 - b.x1);
  const dy = Math.max(0, b.y0 - a.y1, a.y0 - b.y1);
  return Math.hypot(dx, dy);
}
