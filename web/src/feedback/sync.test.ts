import 'fake-indexeddb/auto';
import { describe, expect, it, vi } from 'vitest';
import type { FeedbackItem } from 'sync-server/contract';
import { counts, enqueue, oldest, rejectedEntries, UNDO_WINDOW_MS } from './outbox';
import { openOutboxDb } from './outbox-db';
import type { PostResult } from './post-batch';
import { syncOutbox } from './sync';
import { testItem } from './test-items';

let n = 0;
async function dbWith(count: number) {
  const db = await openOutboxDb(`sync-test-${++n}`);
  for (let i = 0; i < count; i++) await enqueue(db, testItem(i % 10), i);
  return db;
}
const subset = { index: 0, count: 1, threshold: 10 };
const answered = (
  accepted: number,
  duplicates = 0,
  rejected: { index: number; reason: string }[] = [],
) => ({ kind: 'answered', response: { accepted, duplicates, rejected, subset } }) as const;

describe('syncOutbox', () => {
  it('sends batches of at most 50 and empties the outbox when all are acknowledged', async () => {
    const db = await dbWith(120);
    const sizes: number[] = [];
    const post = vi.fn(async (items: FeedbackItem[]): Promise<PostResult> => {
      sizes.push(items.length);
      return answered(items.length - 1, 1);
    });
    const report = await syncOutbox(db, { post });
    expect(sizes).toEqual([50, 50, 20]);
    expect(report).toEqual({ outcome: 'done', acked: 120, refused: 0, heldUntil: null });
    expect(await counts(db)).toEqual({ pending: 0, rejected: 0 });
  });

  it('keeps everything when the network fails, and reports a retry', async () => {
    const db = await dbWith(3);
    const post = async (): Promise<PostResult> => ({
      kind: 'retry',
      message: 'offline',
      retryAfterMs: null,
    });
    const report = await syncOutbox(db, { post });
    expect(report).toMatchObject({ outcome: 'retry', acked: 0, message: 'offline' });
    expect((await counts(db)).pending).toBe(3);
  });

  it('sets rejected items aside with the reason and never resends them', async () => {
    const db = await dbWith(3);
    const second = (await oldest(db, 3))[1]!;
    const post = vi.fn(async (items: FeedbackItem[]): Promise<PostResult> =>
      items.length === 3
        ? answered(2, 0, [{ index: 1, reason: 'pixels: bad' }])
        : answered(items.length),
    );
    await syncOutbox(db, { post });
    await syncOutbox(db, { post });
    expect(post).toHaveBeenCalledTimes(1);
    expect(await counts(db)).toEqual({ pending: 0, rejected: 1 });
    expect((await rejectedEntries(db))[0]).toMatchObject({
      item: { id: second.id },
      reason: 'pixels: bad',
    });
  });

  it('does not drop anything when the answer does not add up', async () => {
    const db = await dbWith(4);
    const report = await syncOutbox(db, { post: async () => answered(1) });
    expect(report.outcome).toBe('retry');
    expect((await counts(db)).pending).toBe(4);
  });

  it('sets the whole batch aside when the server refuses the envelope', async () => {
    const db = await dbWith(2);
    await syncOutbox(db, { post: async () => ({ kind: 'refused', message: 'HTTP 400: bad' }) });
    expect(await counts(db)).toEqual({ pending: 0, rejected: 2 });
  });

  it('never sends an answer inside its undo window and says when it may', async () => {
    const db = await openOutboxDb(`sync-test-${++n}`);
    const item = testItem();
    await enqueue(db, item, 10_000);
    const post = vi.fn(async (items: FeedbackItem[]) => answered(items.length));
    const early = await syncOutbox(db, { post, now: () => 10_000 + UNDO_WINDOW_MS - 1 });
    expect(post).not.toHaveBeenCalled();
    expect(early).toMatchObject({ outcome: 'done', acked: 0, heldUntil: 10_000 + UNDO_WINDOW_MS });
    const late = await syncOutbox(db, { post, now: () => 10_000 + UNDO_WINDOW_MS });
    expect(post).toHaveBeenCalledWith([item]);
    expect(late).toMatchObject({ outcome: 'done', acked: 1, heldUntil: null });
  });
});
