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

  it('says there is nothing new when the live model trained on every sealed subset', async () => {
    await store(30);
    expect(await gatherFeedback(manifest(3), options())).toEqual({
      nothing: expect.stringMatching(/already trained on subsets 0, 1, 2/),
    });
  });
});
