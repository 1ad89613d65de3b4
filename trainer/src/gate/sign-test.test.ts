import { describe, expect, it } from 'vitest';
import { pairHits, signTestP } from './sign-test';

// P(X ≥ broken) for X ~ Binomial(fixed + broken, 1/2), exactly, with big integers.
function exactP(fixed: number, broken: number): number {
  const n = fixed + broken;
  let choose = 1n;
  let tail = 0n;
  for (let k = 0; k <= n; k++) {
    if (k >= broken) tail += choose;
    choose = (choose * BigInt(n - k)) / BigInt(k + 1);
  }
  return Number((tail * 10n ** 15n) / 2n ** BigInt(n)) / 1e15;
}

describe('signTestP', () => {
  it.each([
    // fixed, broken, p by hand
    [0, 5, 1 / 32], // only the all-broken outcome
    [1, 4, 6 / 32], // C(5,4) + C(5,5) = 6
    [2, 8, 56 / 1024], // C(10,8) + C(10,9) + C(10,10) = 45 + 10 + 1
    [2, 10, 79 / 4096], // C(12,10) + C(12,11) + C(12,12) = 66 + 12 + 1
    [3, 3, 42 / 64], // C(6,3) + C(6,4) + C(6,5) + C(6,6) = 20 + 15 + 6 + 1
    [0, 1, 1 / 2],
    [5, 0, 1],
    [0, 0, 1],
  ])('fixed %i, broken %i → p = %f', (fixed, broken, p) => {
    expect(signTestP(fixed, broken)).toBe(p);
  });

  it('agrees with exact big-integer sums for every split up to 40 discordant pairs', () => {
    for (let n = 1; n <= 40; n++) {
      for (let broken = 0; broken <= n; broken++) {
        expect(signTestP(n - broken, broken)).toBeCloseTo(exactP(n - broken, broken), 12);
      }
    }
  });

  it('stays finite where 2^-n underflows', () => {
    // 2,000 pairs split evenly: 1/2 plus half the central term C(2000,1000)/2^2000 ≈ 0.0178.
    expect(signTestP(1000, 1000)).toBeCloseTo(0.5 + 0.0178 / 2, 3);
    const far = signTestP(1400, 1600);
    expect(far).toBeGreaterThan(0);
    expect(far).toBeLessThan(1e-3);
  });

  it('refuses counts that are not non-negative integers', () => {
    expect(() => signTestP(-1, 2)).toThrow(/counts ≥ 0/);
    expect(() => signTestP(1.5, 2)).toThrow(/counts ≥ 0/);
  });
});

describe('pairHits', () => {
  it('counts only the discordant pairs as fixed or broken', () => {
    const live = Uint8Array.from([1, 1, 0, 0, 1, 0]);
    const candidate = Uint8Array.from([1, 0, 1, 0, 0, 1]);
    expect(pairHits(live, candidate)).toEqual({ fixed: 2, broken: 2, count: 6 });
  });

  it('refuses unpaired lists', () => {
    expect(() => pairHits(new Uint8Array(3), new Uint8Array(4))).toThrow(/equal lengths/);
  });
});
