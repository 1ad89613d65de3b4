import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { addEntry, allEntries, clearEntries, openMemoryDb, removeEntry } from './memory-db';

let n = 0;
const fresh = () => openMemoryDb(`memory-test-${++n}`);
const entry = (label: number) => ({
  pixels: new Uint8Array(784).fill(label),
  label,
  createdAt: label,
});

describe('memory-db', () => {
  it('keeps the newest `cap` answers, oldest first, dropping the oldest', async () => {
    const db = await fresh();
    const dropped: number[] = [];
    for (let i = 0; i < 7; i++) dropped.push(await addEntry(db, entry(i), 4));
    expect(dropped).toEqual([0, 0, 0, 0, 1, 1, 1]);
    const kept = await allEntries(db);
    expect(kept.map((e) => e.label)).toEqual([3, 4, 5, 6]);
    expect(kept[0]!.pixels).toEqual(new Uint8Array(784).fill(3));
  });

  it('keeps the order across a reopen, and clears', async () => {
    const name = `memory-test-${++n}`;
    const db = await openMemoryDb(name);
    for (const l of [5, 1, 9]) await addEntry(db, entry(l));
    db.close();
    const again = await openMemoryDb(name);
    expect((await allEntries(again)).map((e) => e.label)).toEqual([5, 1, 9]);
    await clearEntries(again);
    expect(await allEntries(again)).toEqual([]);
    await addEntry(again, entry(2));
    expect((await allEntries(again)).map((e) => e.label)).toEqual([2]);
  });

  it('removes one answer by its id, and says when there is none', async () => {
    const db = await fresh();
    for (const [l, answerId] of [
      [1, 'a'],
      [2, undefined],
      [3, 'c'],
    ] as const) {
      await addEntry(db, { ...entry(l), ...(answerId ? { answerId } : {}) });
    }
    expect(await removeEntry(db, 'a')).toBe(true);
    expect(await removeEntry(db, 'a')).toBe(false);
    expect((await allEntries(db)).map((e) => e.label)).toEqual([2, 3]);
  });
});
