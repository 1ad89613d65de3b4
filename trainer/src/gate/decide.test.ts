import { describe, expect, it } from 'vitest';
import type { Champion } from 'sync-server/contract';
import { decide, DEFAULT_THRESHOLDS, type CandidateScores } from './decide';

const V = '2026-11-26T19-23-20-192Z';
const RECALL = [0.995, 0.997, 0.996, 0.996, 0.995, 0.994, 0.993, 0.995, 0.996, 0.992];
const champion: Champion = { version: V, mnistTestAccuracy: 0.9962, perDigitRecall: RECALL };
const candidate = (mnist: number, recall = RECALL): CandidateScores => ({
  mnist,
  perDigitRecall: recall,
});
const even = { fixed: 3, broken: 3, count: 40 };
const withRecall = (digit: number, value: number) =>
  RECALL.map((r, d) => (d === digit ? value : r));

describe('decide: the champion floor', () => {
  it('publishes at or above champion − 0.2 points, with every number in one sentence', () => {
    const d = decide({ champion, candidate: candidate(0.9947), holdout: even });
    expect(d.publish).toBe(true);
    expect(d.reason).toBe(
      'MNIST test 99.47% ≥ the floor 99.42% (champion 99.62% − 0.2); no digit more than 1 point below the champion (worst: digit 0, +0.00 points); holdout 3 fixed, 3 broken of 40, p = 0.656 > 0.05',
    );
    expect(d.measures).toMatchObject({ holdoutP: 42 / 64, worstDigit: 0, worstDigitDrop: 0 });
  });

  it('publishes exactly at the floor despite float noise, and rejects just below it', () => {
    expect(decide({ champion, candidate: candidate(0.9942), holdout: null }).publish).toBe(true);
    const zeroPointThree = { ...champion, mnistTestAccuracy: 0.1 + 0.2 };
    expect(
      decide({ champion: zeroPointThree, candidate: candidate(0.298), holdout: null }).publish,
    ).toBe(true);
    const d = decide({ champion, candidate: candidate(0.9941), holdout: null });
    expect(d.publish).toBe(false);
    expect(d.reason).toBe('MNIST test 99.41% is below the floor 99.42% (champion 99.62% − 0.2)');
  });

  it('honours the maxMnistDrop flag and rejects an unmeasurable candidate', () => {
    const strict = { ...DEFAULT_THRESHOLDS, maxMnistDrop: 0 };
    expect(decide({ champion, candidate: candidate(0.9961), holdout: null }, strict).publish).toBe(
      false,
    );
    const nan = decide({ champion, candidate: candidate(Number.NaN), holdout: null });
    expect(nan).toMatchObject({ publish: false, reason: /could not be measured/ });
  });
});

describe('decide: per-digit floors', () => {
  it('rejects a targeted attack on one digit even when overall accuracy holds', () => {
    // 1s read as 7: recall of 1 falls 1.5 points while MNIST test stays above the floor.
    const d = decide({
      champion,
      candidate: candidate(0.9955, withRecall(1, 0.982)),
      holdout: even,
    });
    expect(d.publish).toBe(false);
    expect(d.reason).toMatch(
      /^digit 1 recall 98\.20% fell 1\.50 points below the champion's 99\.70%, more than the 1 allowed \(MNIST test 99\.55% ≥/,
    );
    expect(d.measures).toMatchObject({ worstDigit: 1 });
  });

  it('allows a fall of exactly the threshold, and honours the maxDigitDrop flag', () => {
    const atLimit = candidate(0.9955, withRecall(6, 0.983));
    const d = decide({ champion, candidate: atLimit, holdout: null });
    expect(d.publish).toBe(true);
    expect(d.reason).toContain('(worst: digit 6, −1.00 points)');
    const strict = { ...DEFAULT_THRESHOLDS, maxDigitDrop: 0.5 };
    expect(decide({ champion, candidate: atLimit, holdout: null }, strict).publish).toBe(false);
  });

  it('skips digits without recall on either side', () => {
    const sparse = { ...champion, perDigitRecall: RECALL.map((r, d) => (d === 3 ? null : r)) };
    const d = decide({
      champion: sparse,
      candidate: candidate(0.996, withRecall(3, 0)),
      holdout: null,
    });
    expect(d.publish).toBe(true);
  });
});

describe('decide: the paired holdout', () => {
  it('rejects when the candidate breaks more than chance explains (0 fixed, 5 broken)', () => {
    const d = decide({
      champion,
      candidate: candidate(0.996),
      holdout: { fixed: 0, broken: 5, count: 40 },
    });
    expect(d.publish).toBe(false);
    expect(d.reason).toMatch(
      /^holdout 0 fixed, 5 broken of 40: worse beyond chance \(p = 0\.031 ≤ 0\.05; MNIST test 99\.60% ≥/,
    );
    expect(d.measures.holdoutP).toBeCloseTo(1 / 32, 12);
  });

  it('keeps a candidate whose losses chance explains (1 fixed, 4 broken; 2 of 200 lost)', () => {
    const d = decide({
      champion,
      candidate: candidate(0.996),
      holdout: { fixed: 1, broken: 4, count: 40 },
    });
    expect(d.publish).toBe(true);
    expect(d.reason).toMatch(/holdout 1 fixed, 4 broken of 40, p = 0\.188 > 0\.05$/);
    // A measured case: 100 % → 99.53 % of about 200 digits, one or two digits, is noise.
    expect(
      decide({
        champion,
        candidate: candidate(0.996),
        holdout: { fixed: 0, broken: 2, count: 213 },
      }).publish,
    ).toBe(true);
  });

  it('honours the holdoutAlpha flag; 0 never rejects on the holdout', () => {
    const holdout = { fixed: 2, broken: 8, count: 40 }; // p = 56/1024 ≈ 0.055
    expect(decide({ champion, candidate: candidate(0.996), holdout }).publish).toBe(true);
    const loose = { ...DEFAULT_THRESHOLDS, holdoutAlpha: 0.1 };
    expect(decide({ champion, candidate: candidate(0.996), holdout }, loose).publish).toBe(false);
    const off = { ...DEFAULT_THRESHOLDS, holdoutAlpha: 0 };
    const all = { fixed: 0, broken: 40, count: 40 };
    expect(decide({ champion, candidate: candidate(0.996), holdout: all }, off).publish).toBe(true);
  });

  it('does not judge an empty holdout', () => {
    const d = decide({ champion, candidate: candidate(0.996), holdout: null });
    expect(d.publish).toBe(true);
    expect(d.reason).toMatch(/; holdout empty, not judged$/);
    expect(d.measures.holdoutP).toBeNull();
  });
});
