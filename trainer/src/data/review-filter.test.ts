import { describe, expect, it } from 'vitest';
import { screenByReview } from './review-filter';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const sample = (n: number, flags?: string[]) => ({ id: ID(n), ...(flags && { flags }) });
const decide = (entries: Array<[number, 'accept' | 'reject']>) =>
  new Map(entries.map(([n, decision]) => [ID(n), { decision }]));

describe('screenByReview', () => {
  it('lets unflagged samples through when nobody decided anything', () => {
    const samples = [sample(1), sample(2, [])];
    expect(screenByReview(samples, new Map())).toEqual({ kept: samples, pending: 0, rejected: 0 });
  });

  it('holds flagged samples back until accepted', () => {
    const samples = [sample(1, ['burst']), sample(2, ['confident_disagreement']), sample(3)];
    const screen = screenByReview(samples, decide([[2, 'accept']]));
    expect(screen.kept.map((s) => s.id)).toEqual([ID(2), ID(3)]);
    expect(screen).toMatchObject({ pending: 1, rejected: 0 });
  });

  it('never lets a rejected sample through, flagged or not (bulk reject of a client)', () => {
    const samples = [sample(1, ['burst']), sample(2), sample(3)];
    const screen = screenByReview(
      samples,
      decide([
        [1, 'reject'],
        [2, 'reject'],
      ]),
    );
    expect(screen.kept.map((s) => s.id)).toEqual([ID(3)]);
    expect(screen).toMatchObject({ pending: 0, rejected: 2 });
  });

  it('matches ids whatever their case', () => {
    const upper = { id: ID(7).toUpperCase(), flags: ['burst'] };
    expect(screenByReview([upper], decide([[7, 'accept']])).kept).toEqual([upper]);
  });

  it('passes samples keyed by file name (original data): no flags, no decision', () => {
    const original = { id: '2_1758146924191.png' };
    expect(screenByReview([original], decide([[1, 'reject']])).kept).toEqual([original]);
  });
});
