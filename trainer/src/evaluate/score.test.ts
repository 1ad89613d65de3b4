import { describe, expect, it } from 'vitest';
import { summarize } from './score';

describe('summarize', () => {
  it('gives accuracy, per-digit recall and per-sample hits', () => {
    const labels = Uint8Array.from([1, 1, 1, 1, 7, 7, 0]);
    const predicted = Uint8Array.from([1, 7, 7, 1, 7, 1, 0]);
    const s = summarize(labels, predicted, labels.length);
    expect(s).toMatchObject({ accuracy: 4 / 7, correct: 4, count: 7 });
    expect(Array.from(s.hits)).toEqual([1, 0, 0, 1, 1, 0, 1]);
    // Recall, not precision: the 1s read as 7 lower the recall of 1 only.
    expect(s.perDigitRecall).toEqual([1, 0.5, null, null, null, null, null, 0.5, null, null]);
  });

  it('scores only the first count samples, and nothing as null', () => {
    const labels = Uint8Array.from([3, 3, 3]);
    expect(summarize(labels, Uint8Array.from([3, 2]), 2)).toMatchObject({
      accuracy: 0.5,
      count: 2,
    });
    expect(summarize(labels, new Uint8Array(0), 0)).toMatchObject({
      accuracy: null,
      perDigitRecall: Array.from({ length: 10 }, () => null),
    });
  });
});
