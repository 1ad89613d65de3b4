import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodePixels, pngFileName } from '../contract';
import { silentLogger } from '../log';
import { capturingLogger, failingFs, makeItem, tempDirs } from '../../test/helpers';
import { FeedbackStore, StoreClosedError, StoreWriteError } from './feedback-store';
import { encodeMnistPng } from './png';

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

describe('FeedbackStore on a failing disk', () => {
  const listing = (...p: string[]) => readdirSync(join(dirs.data, ...p)).sort();

  it('rolls a failed commit back: no new PNG, temp file or empty subset folder', async () => {
    const disk = failingFs();
    const { log, lines } = capturingLogger();
    const store = await FeedbackStore.open({ dataDir: dirs.data, threshold: 3, log, fs: disk.fs });
    await store.submit(items(2));
    const before = listing('sub_set_0');
    // Two of the commit's files are written in full, then the disk is full.
    disk.failWith('ENOSPC', 2);
    const batch = items(3);
    await expect(store.submit(batch)).rejects.toBeInstanceOf(StoreWriteError);
    expect(listing()).toEqual(['count.json', 'sub_set_0']);
    expect(listing('sub_set_0')).toEqual(before);
    expect(store.totals().total).toBe(2);
    expect(await store.writable()).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/ENOSPC/),
    });
    await expect(store.submit(items(1))).rejects.toBeInstanceOf(StoreWriteError);
    // One warn line for the outage, however many requests and probes fail in it.
    const warns = lines().filter((l) => l.level === 'warn' || l.level === 'error');
    expect(warns.map((l) => [l.level, l.msg, l.code])).toEqual([
      ['warn', 'store writes fail; answering 503 until one works', 'ENOSPC'],
    ]);
    disk.failWith(null);
    expect(await store.writable()).toEqual({ ok: true });
    expect(await store.submit(batch)).toMatchObject({ accepted: 3, duplicates: 0 });
    expect(listing('sub_set_1')).toHaveLength(3);
    await store.close();
  });

  it('rereads the disk when a commit got past its commit point before failing', async () => {
    const disk = failingFs();
    const store = await FeedbackStore.open({
      dataDir: dirs.data,
      threshold: 3,
      log: silentLogger,
      fs: {
        ...disk.fs,
        fsyncDir: () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })),
      },
    });
    const batch = items(2);
    await expect(store.submit(batch)).rejects.toBeInstanceOf(StoreWriteError);
    // The metadata.json rename happened: the items are on disk, and the store knows it.
    expect(await store.submit(batch)).toMatchObject({ accepted: 0, duplicates: 2 });
    await store.close();
  });
});

describe('FeedbackStore and entries rebuilt from file names', () => {
  it('completes a rebuilt entry when its item is resent, storing the sample once', async () => {
    const item = makeItem({ label: 4, predicted: 9, confidence: 0.8 });
    const filename = pngFileName(4, Date.parse(item.createdAt), item.id);
    const dir = join(dirs.data, 'sub_set_0');
    // A commit that crashed after its PNG and before its metadata.json: never acknowledged.
    mkdirSync(dir);
    writeFileSync(join(dir, filename), encodeMnistPng(decodePixels(item.pixels)));
    const store = await open(3);
    expect(store.totals().total).toBe(1);
    const resend = { item: { ...item }, pixels: decodePixels(item.pixels) };
    expect(await store.submit([resend])).toMatchObject({ accepted: 0, duplicates: 1 });
    const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
    expect(meta).toEqual([
      {
        filename,
        true_label: 4,
        created_at: Date.parse(item.createdAt),
        source: 'web_feedback',
        id: item.id,
        predicted_label: 9,
        confidence: 0.8,
        model_version: item.modelVersion,
      },
    ]);
    expect(readdirSync(dir).filter((f) => f.endsWith('.png'))).toEqual([filename]);
    await store.close();
    const reopened = await open(3);
    expect(reopened.totals().total).toBe(1);
    expect(await reopened.submit([resend])).toMatchObject({ accepted: 0, duplicates: 1 });
    await reopened.close();
  });
});
