import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { testItem } from '../feedback/test-items';
import { recordSent, subsetsOfBatch } from './record-sent';
import { openSentDb } from './sent-db';

describe('subsetsOfBatch', () => {
  it('puts a batch that fits in the open subset all there', () => {
    expect(subsetsOfBatch(3, { index: 2, count: 5, threshold: 10 })).toEqual([2, 2, 2]);
  });

  it('splits a batch that straddled one or more seals', () => {
    // 2 answers filled subset 4 up to 10, 10 sealed subset 5, 3 opened subset 6.
    const subsets = subsetsOfBatch(15, { index: 6, count: 3, threshold: 10 });
    expect(subsets).toEqual([4, 4, ...Array<number>(10).fill(5), 6, 6, 6]);
    // A seal that left the new subset empty.
    expect(subsetsOfBatch(2, { index: 1, count: 0, threshold: 10 })).toEqual([0, 0]);
  });
});

describe('recordSent', () => {
  it('keeps each answer with its subset, and none when the reply had duplicates', async () => {
    const db = await openSentDb('sent-test-1');
    const [a, b, c] = [testItem(1), testItem(2), testItem(3)];
    await recordSent([a, b], { index: 0, count: 2, threshold: 10 }, 0, db, 5);
    await recordSent([c], { index: 0, count: 3, threshold: 10 }, 1, db, 6);
    const kept = await db.getAll('sent');
    const byId = new Map(kept.map((e) => [e.item.id, e.subset]));
    expect([byId.get(a.id), byId.get(b.id), byId.get(c.id)]).toEqual([0, 0, null]);
  });
});
