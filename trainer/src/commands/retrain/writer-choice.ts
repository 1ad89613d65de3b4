// Which of a hand's written candidates a retrain keeps: the live model's mistakes first.
import { pick } from '../../evaluate';
import type { SampleSet } from '../../train';

/** Most of a hand's kept digits that are the live model's mistakes; the rest it reads right. */
export const MISREAD_SHARE = 0.7;

/**
 * `count` of `written`: its digits the live model misread (`predicted` ≠ label), up to
 * `MISREAD_SHARE` of `count`, then digits it read right, each group in `written`'s order.
 * Digits the model already reads in this hand teach little; its mistakes are what the hand
 * costs. Keeping some read right holds the classes it already gets in that hand, and the mix
 * stays near class balance however few mistakes a hand provokes.
 */
export function focusOnMisread(
  written: SampleSet,
  predicted: ArrayLike<number>,
  count: number,
): SampleSet {
  const all = Array.from({ length: written.count }, (_, i) => i);
  return pick(
    written,
    misreadFirst(all, (i) => predicted[i] !== written.labels[i], count),
  );
}

/**
 * `count` of `written` in equal shares per class (the first classes one more when `count` does
 * not divide), each share chosen as `focusOnMisread` chooses among that class's digits. A
 * hand's mistakes gather in a few classes (a slant that turns 1s into 7s leaves 0s alone);
 * chosen over all classes, they tilt the kept digits toward those few labels. A class with
 * too few digits leaves its shortfall to the others, chosen the same way.
 */
export function balancedOnMisread(
  written: SampleSet,
  predicted: ArrayLike<number>,
  count: number,
): SampleSet {
  const misreadAt = (i: number) => predicted[i] !== written.labels[i];
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < written.count; i++) {
    const list = byClass.get(written.labels[i]!);
    if (list) list.push(i);
    else byClass.set(written.labels[i]!, [i]);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const kept = classes.flatMap((label, c) => {
    const share = Math.floor(count / classes.length) + (c < count % classes.length ? 1 : 0);
    return misreadFirst(byClass.get(label)!, misreadAt, share);
  });
  if (kept.length < count) {
    const taken = new Set(kept);
    const rest = Array.from({ length: written.count }, (_, i) => i).filter((i) => !taken.has(i));
    kept.push(...misreadFirst(rest, misreadAt, count - kept.length));
  }
  return pick(written, kept);
}

/**
 * `count` of `indices`: those misread, up to `MISREAD_SHARE` of `count`, then those read
 * right, then more misread if still short; each group in the order given.
 */
function misreadFirst(
  indices: readonly number[],
  misreadAt: (i: number) => boolean,
  count: number,
): number[] {
  const misread = indices.filter(misreadAt);
  const readRight = indices.filter((i) => !misreadAt(i));
  const wrong = Math.min(misread.length, Math.round(count * MISREAD_SHARE));
  const kept = [...misread.slice(0, wrong), ...readRight.slice(0, count - wrong)];
  if (kept.length < count) kept.push(...misread.slice(wrong, wrong + count - kept.length));
  return kept;
}
