import { modelUrl, type Manifest } from 'sync-server/contract';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test/helpers/tiny-model';
import { writeNewData } from '../../../test/helpers/write-new-data';
import { readNewData } from '../../data/subsets';
import { isHoldout } from '../../gate';
import { gatherFeedback, type GatherOptions } from './feedback';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

const VERSION = '2026-11-26T12-00-00-000Z';

// A live model that has trained on the first `seen` subsets.
function manifest(seen: number): Manifest {
  const subsets = Array.from({ length: seen }, (_, i) => i);
  return {
    schemaVersion: 1,
    current: VERSION,
    versions: [
      {
        version: VERSION,
        modelUrl: modelUrl(VERSION),
        createdAt: '2026-11-26T12:00:00.000Z',
        parent: null,
        trainedOn: { subsets, samples: 0 },
        metrics: { mnistTestAccuracy: 0.99 },
        bytes: 0,
      },
    ],
    history: [],
  };
}

// 30 subsets of 10 answers: digit i % 10, a distinct ink position per answer.
async function store(count = 300) {
  const images = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) images[i * 784 + (i % 700)] = 255;
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  await writeNewData(dir, { images, labels, count }, { perSubset: 10, tag: 'gather' });
}

const options = (over: Partial<GatherOptions> = {}): GatherOptions => ({
  dataDir: dir,
  threshold: 10,
  force: false,
  recallSample: 50,
  maxNew: 1000,
  holdoutSample: 20,
  // Uncapped: these answers have no client ids, each its own client.
  caps: { maxShare: 1, maxAnswers: 1_000_000, seed: 1 },
  seed: 1,
  ...over,
});

describe('gatherFeedback', () => {
  it('trains on every new answer plus a bounded recall sample of older ones', async () => {
    await store();
    const got = await gatherFeedback(manifest(28), options());
    if ('nothing' in got) throw new Error(got.nothing);
    const fresh = got.train.slice(0, got.newTrain);
    // Subsets 28 and 29 are new: all of their training part is in, nothing else is "new".
    expect(new Set(fresh.map((s) => s.subset))).toEqual(new Set([28, 29]));
    const stored = (await readNewData(dir, { threshold: 10 })).flatMap((s) => s.samples);
    const expected = stored.filter((s) => s.subset >= 28 && !isHoldout(s.id)).map((s) => s.id);
    expect(fresh.map((s) => s.id).sort()).toEqual(expected.sort());
    expect(got.train.length - got.newTrain).toBe(50);
    expect(got.train.slice(got.newTrain).every((s) => s.subset < 28)).toBe(true);
    expect(got.holdout.length).toBeLessThanOrEqual(20);
    expect(got.newest.index).toBe(29);
    expect(got.newest.samples).toHaveLength(10);
    expect(got.subsets).toHaveLength(30);
    expect(got.newSubsets).toBe(2);
    expect(got.deferred).toBe(0);
    for (const s of got.train) expect(s.pixels).toHaveLength(784);
  });

  it('keeps every new answer whatever the recall size and seed', async () => {
    await store();
    const newIds = async (over: Partial<GatherOptions>) => {
      const got = await gatherFeedback(manifest(25), options(over));
      if ('nothing' in got) throw new Error(got.nothing);
      return got.train.slice(0, got.newTrain).map((s) => s.id);
    };
    const all = await newIds({ recallSample: 0 });
    // 50 new answers, minus the holdout's share of them.
    expect(all.length).toBeGreaterThan(30);
    expect(await newIds({ recallSample: 200, seed: 2 })).toEqual(all);
    expect(await newIds({ recallSample: 10, seed: 3 })).toEqual(all);
  });

  it('trains only the newest subsets as new after a backlog, the rest in the recall pool', async () => {
    await store();
    // 20 subsets new since the live model (rejected rounds piled up); room for about five.
    const got = await gatherFeedback(manifest(10), options({ maxNew: 40, recallSample: 300 }));
    if ('nothing' in got) throw new Error(got.nothing);
    const fresh = got.train.slice(0, got.newTrain);
    const asNew = [...new Set(fresh.map((s) => s.subset))].sort((a, b) => a - b);
    // Whole subsets, the newest first, within 40 answers: the next older one would not fit.
    expect(asNew.at(-1)).toBe(29);
    expect(asNew).toEqual(Array.from({ length: asNew.length }, (_, i) => 30 - asNew.length + i));
    expect(fresh.length).toBeLessThanOrEqual(40);
    const stored = (await readNewData(dir, { threshold: 10 })).flatMap((s) => s.samples);
    const trainable = (from: number, to: number) =>
      stored.filter((s) => s.subset >= from && s.subset < to && !isHoldout(s.id)).length;
    expect(fresh.length + trainable(asNew[0]! - 1, asNew[0]!)).toBeGreaterThan(40);
    expect(got.newSubsets).toBe(asNew.length);
    // The deferred answers are counted, and the recall sample draws on them like older ones.
    expect(got.deferred).toBe(trainable(10, asNew[0]!));
    const recalled = got.train.slice(got.newTrain);
    expect(recalled.some((s) => s.subset >= 10)).toBe(true);
    expect(recalled.some((s) => s.subset < 10)).toBe(true);
    expect(recalled.every((s) => s.subset < asNew[0]!)).toBe(true);
  });

  it('keeps the newest subset whole even when it alone exceeds the limit', async () => {
    await store();
    const got = await gatherFeedback(manifest(25), options({ maxNew: 1 }));
    if ('nothing' in got) throw new Error(got.nothing);
    const fresh = got.train.slice(0, got.newTrain);
    expect(new Set(fresh.map((s) => s.subset))).toEqual(new Set([29]));
    expect(fresh.length).toBeGreaterThan(1);
    expect(got.newSubsets).toBe(1);
  });

  it('says there is nothing new when the live model trained on every sealed subset', async () => {
    await store(30);
    expect(await gatherFeedback(manifest(3), options())).toEqual({
      nothing: expect.stringMatching(/already trained on subsets 0, 1, 2/),
    });
  });
});
