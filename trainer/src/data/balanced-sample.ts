import { createRng, shuffledIndices } from '../train/rng';

/**
 * Up to `size` items with the classes as even as the items allow: each class gets an equal
 * share, and the share a small class cannot fill goes to the others (water-filling). `rank`
 * orders each class's items (it may list an item more than once); each class contributes a
 * prefix of its ranking. The result is grouped by class, classes ascending.
 */
export function takeBalanced<T extends { label: number }>(
  items: readonly T[],
  size: number,
  rank: (classItems: T[], label: number) => T[],
): T[] {
  const byClass = new Map<number, T[]>();
  for (const item of items) {
    const list = byClass.get(item.label) ?? [];
    list.push(item);
    byClass.set(item.label, list);
  }
  const labels = [...byClass.keys()].sort((a, b) => a - b);
  const ranked = labels.map((label) => rank(byClass.get(label)!, label));
  const quota = quotas(
    ranked.map((r) => r.length),
    Math.max(0, Math.floor(size)),
  );
  return ranked.flatMap((r, i) => r.slice(0, quota[i]));
}

// Equal shares of `size` over classes of these sizes; what a class cannot use is shared out
// again among the others. Any remainder goes to the lowest classes first, so it is stable.
function quotas(available: number[], size: number): number[] {
  const quota = available.map(() => 0);
  let left = Math.min(
    size,
    available.reduce((a, b) => a + b, 0),
  );
  while (left > 0) {
    const open = available.map((n, i) => i).filter((i) => quota[i]! < available[i]!);
    const share = Math.max(1, Math.floor(left / open.length));
    for (const i of open) {
      const add = Math.min(share, available[i]! - quota[i]!, left);
      quota[i]! += add;
      left -= add;
      if (left === 0) break;
    }
  }
  return quota;
}

/**
 * The recall sample: `size` older answers, class-balanced, chosen at random by `seed`. Each
 * answer appears once before any appears twice, and at most `maxRepeat` times: the sample
 * keeps its size (and a retrain its cost) once there are `size / maxRepeat` older answers.
 * The choice depends on the answers and the seed only, not on the order they were read in.
 */
export function recallSample<T extends { label: number; id: string }>(
  older: readonly T[],
  size: number,
  seed: number,
  maxRepeat = 1,
): T[] {
  return takeBalanced(older, size, (items, label) => {
    const sorted = [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const random = createRng(seed * 31 + label);
    return Array.from({ length: Math.max(1, maxRepeat) }, () =>
      Array.from(shuffledIndices(sorted.length, random), (i) => sorted[i]!),
    ).flat();
  });
}

/**
 * The holdout the gate scores, bounded: up to `size` held-out answers, stratified by class,
 * the newest of each class first (ties by id). The newest are what users write now, and the
 * answers new since the live model come first in every class.
 */
export function holdoutSample<T extends { label: number; id: string; createdAt: number }>(
  holdout: readonly T[],
  size: number,
): T[] {
  return takeBalanced(holdout, size, (items) =>
    [...items].sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1)),
  );
}
