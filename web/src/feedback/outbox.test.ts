import 'fake-indexeddb/auto';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import {
  counts,
  enqueue,
  heldUntil,
  lastSyncAt,
  oldest,
  rejectedEntries,
  settle,
  UNDO_WINDOW_MS,
  withdraw,
} from './outbox';
import { openOutboxDb } from './outbox-db';
import { testItem } from './test-items';

let n = 0;
const freshDb = () => openOutboxDb(`outbox-test-${++n}`);

describe('outbox', () => {
  it('hands out the oldest items first, at most `limit`', async () => {
    const db = await freshDb();
    const items = [testItem(1), testItem(2), testItem(3)];
    await enqueue(db, items[2]!, 30);
    await enqueue(db, items[0]!, 10);
    await enqueue(db, items[1]!, 20);
    expect((await oldest(db, 2)).map((i) => i.label)).toEqual([1, 2]);
    expect(await counts(db)).toEqual({ pending: 3, rejected: 0 });
  });

  it('keeps one entry when the same answer is queued twice', async () => {
    const db = await freshDb();
    const item = testItem();
    await enqueue(db, item);
    await enqueue(db, item);
    expect((await counts(db)).pending).toBe(1);
  });

  it('settles a batch: acked leave, refused move aside with the reason', async () => {
    const db = await freshDb();
    const [a, b, c] = [testItem(), testItem(), testItem()];
    for (const item of [a!, b!, c!]) await enqueue(db, item, 0);
    await settle(db, [a!.id], [{ item: b!, reason: 'label: too big' }], 1234);
    expect(await counts(db)).toEqual({ pending: 1, rejected: 1 });
    expect((await oldest(db, 10))[0]!.id).toBe(c!.id);
    const [rejected] = await rejectedEntries(db);
    expect(rejected).toMatchObject({ item: { id: b!.id }, reason: 'label: too big' });
    expect(await lastSyncAt(db)).toBe(1234);
  });

  it('migrates a version-1 database without losing queued answers', async () => {
    const name = `outbox-migrate-${++n}`;
    const v1 = await openDB(name, 1, {
      upgrade(db) {
        db.createObjectStore('outbox', { keyPath: 'item.id' }).createIndex('by-queued', 'queuedAt');
      },
    });
    const item = testItem(4);
    await v1.put('outbox', { item, queuedAt: 5 });
    v1.close();
    const db = await openOutboxDb(name);
    expect(db.version).toBe(2);
    expect(await oldest(db, 10)).toEqual([item]);
    expect(await counts(db)).toEqual({ pending: 1, rejected: 0 });
    expect(await lastSyncAt(db)).toBeNull();
  });

  it('holds each answer back for the undo window, then hands it out', async () => {
    const db = await freshDb();
    const [early, late] = [testItem(1), testItem(2)];
    await enqueue(db, early!, 1000);
    await enqueue(db, late!, 3000);
    expect(await oldest(db, 10, 1000 + UNDO_WINDOW_MS - 1)).toEqual([]);
    expect(await heldUntil(db, 1000 + UNDO_WINDOW_MS - 1)).toBe(1000 + UNDO_WINDOW_MS);
    expect(await oldest(db, 10, 1000 + UNDO_WINDOW_MS)).toEqual([early]);
    expect(await heldUntil(db, 1000 + UNDO_WINDOW_MS)).toBe(3000 + UNDO_WINDOW_MS);
    expect(await oldest(db, 10, 3000 + UNDO_WINDOW_MS)).toEqual([early, late]);
    expect(await heldUntil(db, 3000 + UNDO_WINDOW_MS)).toBeNull();
  });

  it('withdraws an answer only inside its undo window', async () => {
    const db = await freshDb();
    const [kept, undone] = [testItem(), testItem()];
    await enqueue(db, kept!, 0);
    await enqueue(db, undone!, 0);
    expect(await withdraw(db, kept!.id, UNDO_WINDOW_MS)).toBe(false);
    expect(await withdraw(db, undone!.id, UNDO_WINDOW_MS - 1)).toBe(true);
    expect(await withdraw(db, undone!.id, 1)).toBe(false);
    expect(await oldest(db, 10, 10 * UNDO_WINDOW_MS)).toEqual([kept]);
  });
});
