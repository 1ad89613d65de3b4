import { randomUUID } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePixels } from '../contract';
import { silentLogger } from '../log';
import { makeItem, tempDirs } from '../../test/helpers';
import { FeedbackStore } from './feedback-store';

let dirs: ReturnType<typeof tempDirs>;
beforeEach(() => (dirs = tempDirs([])));
afterEach(() => dirs.cleanup());

const open = (threshold: number) =>
  FeedbackStore.open({ dataDir: dirs.data, threshold, log: silentLogger });
const items = (n: number) =>
  Array.from({ length: n }, () => {
    const item = makeItem({ id: randomUUID() });
    return { item, pixels: decodePixels(item.pixels) };
  });
const entriesIn = (index: number) =>
  (JSON.parse(readFileSync(join(dirs.data, `sub_set_${index}`, 'metadata.json'), 'utf8')) as [])
    .length;

describe('a sealed subset', () => {
  it('stays sealed after a restart with a higher threshold; new answers go to the next', async () => {
    const first = await open(10);
    expect((await first.submit(items(10))).subset).toEqual({ index: 1, count: 0, threshold: 10 });
    await first.close();
    const second = await open(20);
    expect(second.progress()).toEqual({ index: 1, count: 0, threshold: 20 });
    await second.submit(items(5));
    expect([entriesIn(0), entriesIn(1)]).toEqual([10, 5]);
    await second.close();
    const count = JSON.parse(readFileSync(join(dirs.data, 'count.json'), 'utf8'));
    expect(count).toEqual({ current_count: 5, sub_set_count: 1 });
  });

  it('is sealed by the count alone when there is no record (no count.json)', async () => {
    const first = await open(10);
    await first.submit(items(10));
    await first.close();
    rmSync(join(dirs.data, 'count.json'));
    const again = await open(10);
    expect(again.progress()).toEqual({ index: 1, count: 0, threshold: 10 });
    await again.close();
    rmSync(join(dirs.data, 'count.json'));
    const raised = await open(20);
    expect(raised.progress()).toEqual({ index: 0, count: 10, threshold: 20 });
    await raised.close();
  });
});
