import { describe, expect, it } from 'vitest';
import { decide } from './decide';

const live = { mnist: 0.995, holdout: 0.6 };

describe('decide', () => {
  it('publishes a candidate that keeps MNIST within 0.2 points and does not lose holdout', () => {
    const d = decide(live, { mnist: 0.9931, holdout: 0.6 });
    expect(d.publish).toBe(true);
    expect(d.reason).toBe('MNIST test 99.50% → 99.31%; holdout 60.00% → 60.00%');
  });

  it('publishes at exactly the MNIST limit despite float noise', () => {
    expect(decide(live, { mnist: 0.993, holdout: 0.8 }).publish).toBe(true);
    expect(
      decide({ mnist: 0.1 + 0.2, holdout: null }, { mnist: 0.298, holdout: null }).publish,
    ).toBe(true);
  });

  it('rejects an MNIST drop beyond the limit, naming the numbers', () => {
    const d = decide(live, { mnist: 0.9929, holdout: 1 });
    expect(d.publish).toBe(false);
    expect(d.reason).toMatch(
      /MNIST test 99\.50% → 99\.29% fell 0\.21 points, more than the 0\.2 allowed/,
    );
  });

  it('rejects any holdout drop by default, and allows it up to a given threshold', () => {
    const candidate = { mnist: 0.996, holdout: 0.55 };
    expect(decide(live, candidate).publish).toBe(false);
    expect(decide(live, candidate).reason).toMatch(/^holdout 60\.00% → 55\.00% fell 5\.00 points/);
    expect(decide(live, candidate, { maxMnistDrop: 0.2, maxHoldoutDrop: 5 }).publish).toBe(true);
  });

  it('does not judge an empty holdout', () => {
    const d = decide({ mnist: 0.99, holdout: null }, { mnist: 0.99, holdout: null });
    expect(d).toEqual({
      publish: true,
      reason: 'MNIST test 99.00% → 99.00%; holdout empty, not judged',
    });
  });

  it('honours a stricter MNIST threshold and rejects an unmeasurable candidate', () => {
    expect(
      decide(live, { mnist: 0.9949, holdout: 0.6 }, { maxMnistDrop: 0, maxHoldoutDrop: 0 }).publish,
    ).toBe(false);
    expect(decide(live, { mnist: Number.NaN, holdout: 0.6 }).publish).toBe(false);
  });
});
