/**
 * The seeded uniform [0, 1) generator (mulberry32) lives in sync-server/src/contract/writers.ts
 * (`sync-server/writers`), shared with the writers' geometry and the benches; re-exported so
 * training code keeps importing it from here.
 */
export { createRng } from 'sync-server/writers';

/** Fisher–Yates shuffle of 0..n-1 driven by `random`. */
export function shuffledIndices(n: number, random: () => number): Uint32Array {
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = order[i] ?? 0;
    order[i] = order[j] ?? 0;
    order[j] = tmp;
  }
  return order;
}
