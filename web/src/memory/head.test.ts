import { describe, expect, it } from 'vitest';
import { argmax } from './blend';
import { PersonalHead, softmax, type HeadRow } from './head';

const p = (digit: number, q = 0.9) =>
  Float32Array.from({ length: 10 }, (_, i) => (i === digit ? q : (1 - q) / 9));

describe('PersonalHead', () => {
  it('starts as the global model exactly', () => {
    const head = new PersonalHead(4);
    const probabilities = p(2, 0.6);
    const out = head.apply(probabilities, Float32Array.of(1, 0, 2, 0.5));
    for (let c = 0; c < 10; c++) expect(out[c]).toBeCloseTo(probabilities[c]!, 5);
  });

  it('learns a writer whose 7s the model reads as 1, and keeps their real 1s', () => {
    const seven = Float32Array.of(1, 0.2, 0, 0);
    const one = Float32Array.of(0, 0.2, 1, 0);
    const rows: HeadRow[] = [];
    for (let i = 0; i < 6; i++) {
      rows.push({ probabilities: p(1, 0.7), embedding: seven, label: 7 });
      rows.push({ probabilities: p(1, 0.9), embedding: one, label: 1 });
    }
    const head = PersonalHead.replay(rows, 4, { learningRate: 0.5, l2: 0.01 });
    expect(argmax(head.apply(p(1, 0.7), seven))).toBe(7);
    expect(argmax(head.apply(p(1, 0.9), one))).toBe(1);
  });

  it('stays near the global model under a strong L2 pull', () => {
    const rows: HeadRow[] = [{ probabilities: p(1), embedding: Float32Array.of(1, 0), label: 7 }];
    const loose = new PersonalHead(2, { learningRate: 0.5, l2: 0 });
    const tight = new PersonalHead(2, { learningRate: 0.5, l2: 1 });
    for (let i = 0; i < 10; i++) [loose, tight].forEach((h) => h.step(rows));
    const e = Float32Array.of(1, 0);
    expect(tight.apply(p(1), e)[7]!).toBeLessThan(loose.apply(p(1), e)[7]!);
  });
});

describe('softmax', () => {
  it('sums to 1 and survives large logits', () => {
    const out = softmax(Float32Array.of(1000, 999, 0));
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(out[0]).toBeGreaterThan(out[1]!);
  });
});
