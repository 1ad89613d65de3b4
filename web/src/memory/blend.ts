// The nearest-neighbour step of the personal memory (see personalize.ts for the whole rule).
// Pure (no tfjs, no IndexedDB): the browser and the Node bench (web/bench/personal-bench.ts)
// run this same code, so the bench measures what users get.
//
// Rule: embeddings are the model's penultimate layer, L2-normalized; distance is 1 − cosine.
// The k nearest remembered answers within `radius` vote with weight 1 − d / radius (1 for the
// same drawing, 0 at the radius). Their weights sum to the support s; below `minSupport` the
// memory changes nothing, so a lone far neighbour never moves an answer. Otherwise the answer is
//   p = (1 − α) · p_model + α · vote / s,   α = alphaMax · min(1, s)
// so one remembered drawing identical to this one gives α = alphaMax, enough (> 0.5) to
// overrule a confident model, and each neighbour further away counts for less.

export interface BlendOptions {
  k: number;
  radius: number;
  alphaMax: number;
  minSupport: number;
}

export const BLEND_DEFAULTS: Readonly<BlendOptions> = {
  k: 5,
  // Chosen before the hand (hand.ts) with the bench's `--sweep` as it was at e295bfe; today's
  // sweep, with the hand, finds radius 0.03 and 0.12 about as good (printed only). Small, so
  // only a digit drawn almost like a remembered one is decided by it; the hand and the head
  // handle the writer's style.
  radius: 0.06,
  alphaMax: 0.7,
  minSupport: 0.25,
};

/** Remembered embeddings, row-major `count × dim` (normalized), and their labels. */
export interface MemoryIndex {
  dim: number;
  count: number;
  vectors: Float32Array;
  labels: Uint8Array;
}

export interface Blended {
  probabilities: Float32Array;
  /** True when the memory changed the answer: the top digit differs from the model's. */
  personal: boolean;
  /** Sum of the neighbours' weights (0 when the memory did not count). */
  support: number;
}

/** The index of remembered answers: their embeddings normalized, and their labels. */
export function memoryIndex(
  rows: readonly { embedding: Float32Array; label: number }[],
  dim = rows[0]?.embedding.length ?? 0,
): MemoryIndex {
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => vectors.set(normalize(r.embedding), i * dim));
  return { dim, count: rows.length, vectors, labels: Uint8Array.from(rows, (r) => r.label) };
}

/** A copy of `v` scaled to length 1 (all zeros stays all zeros). */
export function normalize(v: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += v[i]! * v[i]!;
  const scale = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  // A plain loop: `Float32Array.from(v, map)` makes a call per value, on every prediction.
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * scale;
  return out;
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** Indexes and distances of the `k` rows nearest `query` within `radius`, nearest first. */
export function nearest(
  query: Float32Array,
  index: MemoryIndex,
  k: number,
  radius: number,
): { row: number; distance: number }[] {
  if (query.length !== index.dim) {
    throw new RangeError(`query has ${query.length} values, the memory ${index.dim}`);
  }
  const found: { row: number; distance: number }[] = [];
  const { vectors, dim } = index;
  for (let row = 0; row < index.count; row++) {
    let dot = 0;
    const base = row * dim;
    for (let i = 0; i < dim; i++) dot += query[i]! * vectors[base + i]!;
    const distance = 1 - dot;
    if (distance >= radius) continue;
    if (found.length === k) {
      if (distance >= found[k - 1]!.distance) continue;
      found.pop();
    }
    let at = found.length;
    while (at > 0 && found[at - 1]!.distance > distance) at--;
    found.splice(at, 0, { row, distance });
  }
  return found;
}

/** The model's `probabilities` combined with the remembered answers near `query` (normalized). */
export function blend(
  probabilities: Float32Array,
  query: Float32Array | null,
  index: MemoryIndex | null,
  options: BlendOptions = BLEND_DEFAULTS,
): Blended {
  const unchanged = { probabilities, personal: false, support: 0 };
  if (!query || !index || index.count === 0) return unchanged;
  const vote = new Float32Array(probabilities.length);
  let support = 0;
  for (const { row, distance } of nearest(query, index, options.k, options.radius)) {
    const weight = 1 - distance / options.radius;
    vote[index.labels[row]!]! += weight;
    support += weight;
  }
  if (support < options.minSupport) return unchanged;
  const alpha = options.alphaMax * Math.min(1, support);
  const mixed = probabilities.map((p, c) => (1 - alpha) * p + (alpha * vote[c]!) / support);
  return { probabilities: mixed, personal: argmax(mixed) !== argmax(probabilities), support };
}
