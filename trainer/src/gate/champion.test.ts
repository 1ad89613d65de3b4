import { describe, expect, it } from 'vitest';
import type { Champion } from 'sync-server/contract';
import { championOf, nextChampion } from './champion';
import { decide, DEFAULT_THRESHOLDS, type CandidateScores } from './decide';

const RECALL = Array.from({ length: 10 }, () => 0.996);
const base: Champion = { version: 'v0', mnistTestAccuracy: 0.9962, perDigitRecall: RECALL };
const noisyHoldout = { fixed: 2, broken: 3, count: 40 };

// Successive releases, each candidate `step` points below the live model on every score;
// a published one becomes live (and champion if better). Returns the live accuracy per round.
function walk(steps: number[]): { published: number; live: number[]; champion: Champion } {
  let champion = base;
  let live: CandidateScores = { mnist: base.mnistTestAccuracy, perDigitRecall: RECALL };
  const trail: number[] = [];
  let published = 0;
  steps.forEach((step, i) => {
    const candidate: CandidateScores = {
      mnist: live.mnist + step / 100,
      perDigitRecall: live.perDigitRecall.map((r) => r! + step / 100),
    };
    const decision = decide({ champion, candidate, holdout: noisyHoldout });
    if (decision.publish) {
      published++;
      live = candidate;
      champion = nextChampion(champion, `v${i + 1}`, candidate);
    }
    trail.push(live.mnist);
  });
  return { published, live: trail, champion };
}

describe('the champion floor over many releases', () => {
  it('stops a 10-release walk-down of 0.15 points each after the first step', () => {
    const { published, live } = walk(Array.from({ length: 10 }, () => -0.15));
    // 99.47 passes (floor 99.42); 99.32 would pass a live-model comparison but not the floor.
    expect(published).toBe(1);
    expect(live.at(-1)).toBeCloseTo(0.9947, 10);
    for (const mnist of live) expect(mnist).toBeGreaterThanOrEqual(0.9942 - 1e-12);
  });

  it('lets smaller steps down only as far as the floor, then holds it', () => {
    const { published, live, champion } = walk(Array.from({ length: 10 }, () => -0.05));
    expect(published).toBe(4); // 99.57, 99.52, 99.47, 99.42
    expect(live.at(-1)).toBeCloseTo(0.9942, 10);
    expect(champion).toBe(base);
  });

  it('raises the floor with a better release, so the next walk-down stops higher', () => {
    const { live, champion } = walk([0.1, -0.15, -0.15, -0.15]);
    expect(champion).toMatchObject({ version: 'v1' });
    expect(champion.mnistTestAccuracy).toBeCloseTo(0.9972, 10);
    expect(champion.perDigitRecall[0]).toBeCloseTo(0.997, 10);
    // Floor 99.52: 99.57 passes, 99.42 does not.
    expect(live.map((x) => Number((x * 100).toFixed(2)))).toEqual([99.72, 99.57, 99.57, 99.57]);
  });

  it('keeps the champion when a published candidate is not better overall', () => {
    const same = { mnist: 0.9962, perDigitRecall: RECALL };
    expect(nextChampion(base, 'v9', same)).toBe(base);
    expect(nextChampion(base, 'v9', { ...same, mnist: 0.9963 })).toEqual(
      championOf('v9', { ...same, mnist: 0.9963 }),
    );
  });

  it('defaults to the thresholds the issue names', () => {
    expect(DEFAULT_THRESHOLDS).toEqual({ maxMnistDrop: 0.2, maxDigitDrop: 1, holdoutAlpha: 0.05 });
  });
});
