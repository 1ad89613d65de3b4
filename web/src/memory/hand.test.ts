import { describe, expect, it } from 'vitest';
import { MNIST_SIZE } from 'sync-server/contract';
import {
  applyHand,
  explainHand,
  fitHand,
  HAND_DEFAULTS,
  isPlain,
  PLAIN_HAND,
  refitDue,
  type Classify,
} from './hand';
import { bar, lean, leaning } from './hand.fixtures';

/** A model that reads a bar as 1 when it stands upright and as 7 the more it leans. */
const uprightModel =
  (calls: number[] = []): Classify =>
  async (images) => {
    calls.push(images.length);
    return images.map((img) => {
      const one = Math.exp(-((lean(img) / 12) ** 2));
      return Float32Array.from({ length: 10 }, (_, c) => (c === 1 ? one : c === 7 ? 1 - one : 0));
    });
  };

describe('applyHand', () => {
  it('leaves a digit alone under the plain hand', () => {
    const digit = bar();
    expect(applyHand(digit, PLAIN_HAND)).toBe(digit);
  });

  it('undoes a writer’s rotation, and gives a normalized digit', () => {
    const [written] = leaning(25, 1);
    expect(Math.abs(lean(written!.pixels))).toBeGreaterThan(15);
    const undone = applyHand(written!.pixels, { rotationDeg: -25, slant: 0, aspect: 1 });
    expect(Math.abs(lean(undone))).toBeLessThan(3);
    expect(undone).toHaveLength(MNIST_SIZE * MNIST_SIZE);
    expect(Math.max(...undone)).toBe(255);
  });
});

describe('fitHand', () => {
  it('finds the geometry that makes the answers read right', async () => {
    const answers = leaning(20, 12);
    const fit = await fitHand(answers, uprightModel());
    expect(fit!.plainRight).toBe(0);
    expect(fit!.right).toBe(12);
    expect(fit!.hand.rotationDeg).toBeGreaterThanOrEqual(-25);
    expect(fit!.hand.rotationDeg).toBeLessThanOrEqual(-15);
  });

  it('prefers a gentler hand as the shrink grows', async () => {
    const answers = leaning(20, 12);
    const some = await fitHand(answers, uprightModel(), { ...HAND_DEFAULTS, shrink: 0.1 });
    expect(some!.right).toBe(12);
    expect(Math.abs(some!.hand.rotationDeg)).toBeGreaterThanOrEqual(10);
    const much = await fitHand(answers, uprightModel(), { ...HAND_DEFAULTS, shrink: 100 });
    expect(isPlain(much!.hand)).toBe(true);
  });

  it('keeps no hand for answers the model already reads right', async () => {
    const fit = await fitHand(leaning(0, 12), uprightModel());
    expect(isPlain(fit!.hand)).toBe(true);
    expect(fit!.right).toBe(12);
  });

  it('keeps no hand that gains fewer than minGain answers', async () => {
    // One leaning answer among upright ones: a hand could fix it, but one is not enough.
    const answers = [...leaning(0, 11), ...leaning(25, 1)];
    const fit = await fitHand(answers, uprightModel());
    expect(isPlain(fit!.hand)).toBe(true);
    expect(fit!.plainRight).toBe(11);
  });

  it('needs minAnswers and uses only the newest maxAnswers', async () => {
    const calls: number[] = [];
    const few = await fitHand(leaning(20, HAND_DEFAULTS.minAnswers - 1), uprightModel(calls));
    expect(isPlain(few!.hand)).toBe(true);
    expect(calls).toEqual([]);
    const many = await fitHand(leaning(20, HAND_DEFAULTS.maxAnswers + 30), uprightModel(calls));
    expect(many!.answers).toBe(HAND_DEFAULTS.maxAnswers);
    expect(new Set(calls)).toEqual(new Set([HAND_DEFAULTS.maxAnswers]));
    expect(calls.length).toBeLessThanOrEqual(50); // each geometry once
  });

  it('gives null once the model is no longer in use', async () => {
    let left = 3;
    const model = uprightModel();
    const fit = await fitHand(leaning(20, 12), async (images) =>
      left-- > 0 ? model(images) : null,
    );
    expect(fit).toBeNull();
  });
});

describe('refitDue', () => {
  it('fits first at minAnswers, then as the answers grow by half', () => {
    const fits: number[] = [];
    let since: number | null = null;
    for (let count = 1; count <= 120; count++) {
      if (since !== null) since++;
      if (refitDue(count, since)) {
        fits.push(count);
        since = 0;
      }
    }
    expect(fits).toEqual([8, 12, 18, 27, 41, 61, 81, 101]);
  });

  it('refits every maxAnswers / 2 answers once the memory is full', () => {
    expect(refitDue(500, 19)).toBe(false);
    expect(refitDue(500, 20)).toBe(true);
  });
});

describe('explainHand', () => {
  it('says what is done to the digits, in words', () => {
    expect(explainHand({ rotationDeg: -20, slant: 0.2, aspect: 1.3 })).toBe(
      'turned 20°, slant undone, widened',
    );
    expect(explainHand({ rotationDeg: 0, slant: 0, aspect: 0.75 })).toBe('narrowed');
    expect(explainHand(PLAIN_HAND)).toBe('unchanged');
  });
});
