import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePixels } from '../contract';
import { silentLogger } from '../log';
import { makeItem, tempDirs } from '../../test/helpers';
import { FeedbackStore, StoreClosedError } from './feedback-store';

let dirs: ReturnType<typeof tempDirs>;
beforeEach(() => (dirs = tempDirs([])));
afterEach(() => dirs.cleanup());

const open = (threshold = 3) =>
  FeedbackStore.open({ dataDir: dirs.data, threshold, log: silentLogger });
const items = (n: number) =>
  Array.from({ length: n }, () => {
    const item = makeItem({ id: randomUUID() });
    return { item, pixels: decodePixels(item.pixels) };
  });

describe('FeedbackStore', () => {
  it('survives a failed commit: rejects it, rereads the disk, and stores on the next', async () => {
    const store = await open(3);
    await store.submit(items(2));
    // A file where the next subset's folder must go makes the commit fail half-way.
    writeFileSync(join(dirs.data, 'sub_set_1'), 'in the way');
    await expect(store.submit(items(3))).rejects.toThrow();
    // The disk holds subset 0 full or not, but the store agrees with it either way.
    const meta0 = JSON.parse(readFileSync(join(dirs.data, 'sub_set_0', 'metadata.json'), 'utf8'));
    expect(store.totals().total).toBe(meta0.length);
    rmSync(join(dirs.data, 'sub_set_1'));
    const r = await store.submit(items(3));
    expect(r.accepted).toBe(3);
    expect(store.totals().total).toBe(meta0.length + 3);
    const pngs0 = readdirSync(join(dirs.data, 'sub_set_0')).filter((f) => f.endsWith('.png'));
    expect(pngs0).toHaveLength(3);
    await store.close();
  });

  it('reopens onto the same state (ids stay duplicates across restarts)', async () => {
    const first = await open(3);
    const batch = items(4);
    await first.submit(batch);
    await first.close();
    const second = await open(3);
    expect(second.progress()).toEqual({ index: 1, count: 1, threshold: 3 });
    expect(await second.submit(batch)).toMatchObject({ accepted: 0, duplicates: 4 });
    await second.close();
  });

  it('finishes queued writes on close and refuses new ones', async () => {
    const store = await open(3);
    const pending = [store.submit(items(5)), store.submit(items(5))];
    await store.close();
    expect((await Promise.all(pending)).map((r) => r.accepted)).toEqual([5, 5]);
    await expect(store.submit(items(1))).rejects.toThrow(StoreClosedError);
    expect(existsSync(join(dirs.data, 'sub_set_3'))).toBe(true);
  });
});
