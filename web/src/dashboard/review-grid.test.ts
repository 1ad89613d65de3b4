import { describe, expect, it } from 'vitest';
import type { ReviewItem } from 'sync-server/contract';
import { afterDecision, columnsOf, focusAfter, gridAction } from './review-grid';

const item = (n: number, clientId: string | null = null): ReviewItem => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  label: 7,
  predicted: 1,
  confidence: 0.995,
  clientId,
  flags: ['confident_disagreement'],
  createdAt: '2026-11-30T00:00:00.000Z',
  state: 'pending',
  imageUrl: `/api/admin/review/${n}/image`,
});

describe('review grid keys', () => {
  // 7 cards in 3 columns: 0 1 2 / 3 4 5 / 6
  it('moves by one sideways and by a row up and down, staying inside the grid', () => {
    expect(gridAction('ArrowRight', 2, 7, 3)).toEqual({ kind: 'move', to: 3 });
    expect(gridAction('ArrowRight', 6, 7, 3)).toEqual({ kind: 'move', to: 6 });
    expect(gridAction('ArrowLeft', 0, 7, 3)).toEqual({ kind: 'move', to: 0 });
    expect(gridAction('ArrowDown', 1, 7, 3)).toEqual({ kind: 'move', to: 4 });
    // No card below 4 in the last row: the focus stays rather than jumping sideways.
    expect(gridAction('ArrowDown', 4, 7, 3)).toEqual({ kind: 'move', to: 4 });
    expect(gridAction('ArrowUp', 6, 7, 3)).toEqual({ kind: 'move', to: 3 });
    expect(gridAction('ArrowUp', 2, 7, 3)).toEqual({ kind: 'move', to: 2 });
    expect(gridAction('End', 0, 7, 3)).toEqual({ kind: 'move', to: 6 });
    expect(gridAction('Home', 5, 7, 3)).toEqual({ kind: 'move', to: 0 });
  });

  it('accepts on A and rejects on R, and leaves other and modified keys alone', () => {
    expect(gridAction('a', 0, 1, 1)).toEqual({ kind: 'decide', decision: 'accept' });
    expect(gridAction('R', 0, 1, 1)).toEqual({ kind: 'decide', decision: 'reject' });
    expect(gridAction('r', 0, 1, 1, true)).toBeNull();
    expect(gridAction('Tab', 0, 1, 1)).toBeNull();
    expect(gridAction('ArrowDown', 0, 0, 3)).toBeNull();
  });

  it('counts the columns of the first row as laid out', () => {
    expect(columnsOf([])).toBe(1);
    expect(columnsOf([10, 10, 10, 130, 130])).toBe(3);
    expect(columnsOf([10, 10.5, 10])).toBe(3);
  });
});

describe('after a decision', () => {
  const items = [item(1), item(2), item(3)];
  const ids = (...ns: ReviewItem[]) => new Set(ns.map((i) => i.id));

  it('drops decided items from the pending view, and the focus stays in place', () => {
    const left = afterDecision(items, ids(items[1]!), 'accept', 'pending');
    expect(left.map((i) => i.id)).toEqual([items[0]!.id, items[2]!.id]);
    expect(focusAfter(1, left.length)).toBe(1);
    expect(focusAfter(2, 2)).toBe(1);
    expect(focusAfter(0, 0)).toBeNull();
  });

  it('keeps an item whose state is the one shown, and drops one that changed away', () => {
    const rejected = items.map((i) => ({ ...i, state: 'rejected' as const }));
    expect(afterDecision(rejected, ids(rejected[0]!), 'reject', 'rejected')).toHaveLength(3);
    const left = afterDecision(rejected, ids(rejected[0]!), 'accept', 'rejected');
    expect(left.map((i) => i.id)).toEqual([items[1]!.id, items[2]!.id]);
  });
});
