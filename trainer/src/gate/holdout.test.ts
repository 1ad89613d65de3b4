import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isHoldout, splitHoldout } from './holdout';

describe('holdout', () => {
  it('holds out about a fifth of ids', () => {
    const ids = Array.from({ length: 5000 }, () => randomUUID());
    const share = ids.filter((id) => isHoldout(id)).length / ids.length;
    expect(share).toBeGreaterThan(0.18);
    expect(share).toBeLessThan(0.22);
  });

  it('decides by the id alone, the same every time', () => {
    // Fixed answers: a change of hash would silently move samples between train and holdout.
    const ids = Array.from({ length: 50 }, (_, i) => `id-${i}`);
    const held = ids.filter((id) => isHoldout(id));
    expect(held).toMatchInlineSnapshot(`
      [
        "id-9",
        "id-18",
        "id-23",
        "id-27",
        "id-30",
        "id-33",
        "id-37",
        "id-39",
        "id-40",
        "id-45",
        "id-46",
      ]
    `);
  });

  it('splits samples into disjoint train and holdout lists covering all', () => {
    const samples = Array.from({ length: 200 }, (_, i) => ({ id: `s${i}` }));
    const { train, holdout } = splitHoldout(samples);
    expect(train.length + holdout.length).toBe(200);
    expect(holdout.every((s) => isHoldout(s.id))).toBe(true);
    expect(train.some((s) => isHoldout(s.id))).toBe(false);
  });
});
