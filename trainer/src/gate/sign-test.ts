/** Discordant pairs of a paired comparison on the same samples. */
export interface PairedCounts {
  /** Samples the live model got wrong and the candidate right. */
  fixed: number;
  /** Samples the live model got right and the candidate wrong. */
  broken: number;
  /** All paired samples, discordant or not. */
  count: number;
}

/**
 * Counts fixed and broken samples from per-sample correctness (1 = right) of the live model
 * and the candidate on the same samples, in the same order.
 */
export function pairHits(live: Uint8Array, candidate: Uint8Array): PairedCounts {
  if (live.length !== candidate.length) {
    throw new Error(`paired scores need equal lengths, got ${live.length} and ${candidate.length}`);
  }
  let fixed = 0;
  let broken = 0;
  for (let i = 0; i < live.length; i++) {
    if (!live[i] && candidate[i]) fixed++;
    else if (live[i] && !candidate[i]) broken++;
  }
  return { fixed, broken, count: live.length };
}

/**
 * One-sided exact McNemar test (a sign test on the discordant pairs): the chance of at least
 * `broken` broken pairs among `fixed + broken` when each discordant pair is equally likely to
 * go either way, i.e. P(X ≥ broken) for X ~ Binomial(fixed + broken, 1/2). Small p: the
 * candidate is worse beyond chance. Concordant pairs carry no information about which model
 * is better, so they do not enter. No discordant pair gives p = 1.
 *
 * Up to 1,000 discordant pairs the terms are built from 2^-n by exact ratios, so small cases
 * come out exact (1/32, not 0.03124…); beyond that 2^-n underflows and the sum runs in log space.
 */
export function signTestP(fixed: number, broken: number): number {
  if (!Number.isInteger(fixed) || !Number.isInteger(broken) || fixed < 0 || broken < 0) {
    throw new Error(`sign test needs counts ≥ 0, got fixed ${fixed}, broken ${broken}`);
  }
  const n = fixed + broken;
  if (broken === 0) return 1;
  return Math.min(1, n <= LINEAR_MAX_N ? linearTail(n, broken) : logTail(n, broken));
}

// Beyond this, 2^-n is below the smallest normal double.
const LINEAR_MAX_N = 1000;

// Σ_{k ≥ from} C(n, k) / 2^n with pmf(k + 1) = pmf(k) · (n − k) / (k + 1).
function linearTail(n: number, from: number): number {
  let pmf = 2 ** -n;
  let tail = 0;
  for (let k = 0; k <= n; k++) {
    if (k >= from) tail += pmf;
    pmf = (pmf * (n - k)) / (k + 1);
  }
  return tail;
}

// The same sum with each term as exp(ln C(n, k) − n ln 2).
function logTail(n: number, from: number): number {
  let lnChoose = 0;
  for (let k = 0; k < from; k++) lnChoose += Math.log(n - k) - Math.log(k + 1);
  let tail = 0;
  for (let k = from; k <= n; k++) {
    tail += Math.exp(lnChoose - n * Math.LN2);
    lnChoose += Math.log(n - k) - Math.log(k + 1);
  }
  return tail;
}
