import { describe, expect, it } from 'vitest';
import type { Stats } from 'sync-server/contract';
import { prequentialRows, statsViews } from './stats-view';

const confusion = Array.from({ length: 10 }, () => Array<number>(10).fill(0));
confusion[7]![7] = 3;
confusion[7]![1] = 1;
const stats: Stats = {
  scored: 4,
  versions: [{ version: null, answers: 4, correct: 3, confusion }],
  prequential: [{ from: 0, answers: 4, correct: 3, until: 1 }],
};

describe('statsViews', () => {
  it('gives per-digit accuracy from the matrix, and no accuracy for a digit nobody drew', () => {
    const [view] = statsViews(stats, null);
    expect(view?.accuracy).toBe(0.75);
    expect(view?.digits[7]).toEqual({ digit: 7, answers: 4, accuracy: 0.75 });
    expect(view?.digits[0]).toEqual({ digit: 0, answers: 0, accuracy: null });
    expect(view?.name).toBe('unknown version');
  });
});

describe('prequentialRows', () => {
  it('labels each block by the answers it covers', () => {
    expect(prequentialRows(stats)).toEqual([{ label: '1–4', accuracy: 0.75, answers: 4 }]);
  });
});
