import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeApp, makeItem, postFeedback, tempDirs, type TestApp } from './helpers';

let dirs: ReturnType<typeof tempDirs>;
let t: TestApp;
beforeEach(async () => {
  dirs = tempDirs();
  t = await makeApp(dirs, { threshold: 10 });
});
afterEach(async () => {
  await t.close();
  dirs.cleanup();
});

/** Every metadata entry and PNG on disk, by subset. */
function onDisk() {
  const subsets = readdirSync(dirs.data).filter((d) => d.startsWith('sub_set_'));
  const ids: string[] = [];
  let pngs = 0;
  let named = 0;
  for (const s of subsets) {
    const meta = JSON.parse(readFileSync(join(dirs.data, s, 'metadata.json'), 'utf8'));
    ids.push(...meta.map((e: { id: string }) => e.id));
    named += meta.length;
    pngs += readdirSync(join(dirs.data, s)).filter((f) => f.endsWith('.png')).length;
  }
  return { ids, pngs, named, subsets: subsets.length };
}

describe('50 concurrent batches with overlapping ids', () => {
  it('store each id exactly once and account for every item', async () => {
    const pool = Array.from({ length: 400 }, () => randomUUID());
    const batches = Array.from({ length: 50 }, (_, b) =>
      // Each batch takes 20 ids from a sliding window, so neighbours share most of theirs.
      Array.from({ length: 20 }, (_, k) => makeItem({ id: pool[(b * 7 + k) % pool.length]! })),
    );
    const answers = await Promise.all(batches.map((items) => postFeedback(t.app, { items })));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    const distinct = new Set(batches.flat().map((i) => i.id));
    const accepted = answers.reduce((n, a) => n + a.json.accepted, 0);
    const duplicates = answers.reduce((n, a) => n + a.json.duplicates, 0);
    expect(accepted).toBe(distinct.size);
    expect(accepted + duplicates).toBe(50 * 20);
    const disk = onDisk();
    expect(disk.ids.length).toBe(distinct.size);
    expect(new Set(disk.ids).size).toBe(distinct.size);
    expect([disk.pngs, disk.named]).toEqual([distinct.size, distinct.size]);
    const count = JSON.parse(readFileSync(join(dirs.data, 'count.json'), 'utf8'));
    expect(count).toEqual({
      sub_set_count: Math.floor(distinct.size / 10),
      current_count: distinct.size % 10,
    });
  });

  it('keep files apart when two ids share label, millisecond and first 8 hex digits', async () => {
    const createdAt = '2026-11-26T12:00:00.000Z';
    const a = makeItem({ id: '12345678-aaaa-4aaa-8aaa-aaaaaaaaaaaa', label: 4, createdAt }, 10);
    const b = makeItem({ id: '12345678-bbbb-4bbb-8bbb-bbbbbbbbbbbb', label: 4, createdAt }, 20);
    await Promise.all([postFeedback(t.app, { items: [a] }), postFeedback(t.app, { items: [b] })]);
    const files = readdirSync(join(dirs.data, 'sub_set_0')).filter((f) => f.endsWith('.png'));
    const ms = Date.parse(createdAt);
    expect(files.sort()).toEqual([`4_${ms}_12345678.png`, `4_${ms + 1}_12345678.png`]);
  });
});
