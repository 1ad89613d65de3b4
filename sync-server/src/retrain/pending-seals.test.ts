import { afterEach, describe, expect, it } from 'vitest';
import { makeItem, tempDirs, V1, writeManifest } from '../../test/helpers';
import { decodePixels, type HistoryEntry, type Manifest } from '../contract';
import { silentLogger } from '../log';
import { FeedbackStore } from '../storage/feedback-store';
import { pendingSeals } from './pending-seals';

// Issue 14, finding 10: a retrain stopped by a shutdown was never asked for again.

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanups.splice(0).reverse()) await f();
});

function manifestWith(trained: number[], history: HistoryEntry[] = []): Manifest {
  const dirs = tempDirs([]);
  cleanups.push(dirs.cleanup);
  const m = writeManifest(dirs.models, [V1], V1);
  m.versions[0]!.trainedOn = { subsets: trained, samples: trained.length * 10 };
  return { ...m, history };
}

const attempt = (outcome: HistoryEntry['outcome'], subsets: number[]): HistoryEntry => ({
  startedAt: '2026-11-26T12:00:00.000Z',
  finishedAt: '2026-11-26T12:05:00.000Z',
  outcome,
  parent: V1,
  trainedOn: { subsets, samples: 20 },
});

describe('pendingSeals', () => {
  it('names the sealed subsets the live model has not trained on', () => {
    expect(pendingSeals(3, manifestWith([0]))).toEqual([1, 2]);
    expect(pendingSeals(3, manifestWith([]))).toEqual([0, 1, 2]);
  });

  it('is empty when all are trained on, nothing is sealed, or no model is live', () => {
    expect(pendingSeals(2, manifestWith([0, 1]))).toEqual([]);
    expect(pendingSeals(0, manifestWith([]))).toEqual([]);
    expect(pendingSeals(2, null)).toEqual([]);
  });

  it('does not ask again for what the last attempt on the live model rejected', () => {
    expect(pendingSeals(2, manifestWith([0], [attempt('rejected', [0, 1])]))).toEqual([]);
    // A failed or stopped attempt is owed again, and so is one that predates a new seal.
    expect(pendingSeals(2, manifestWith([0], [attempt('failed', [0, 1])]))).toEqual([1]);
    expect(pendingSeals(3, manifestWith([0], [attempt('rejected', [0, 1])]))).toEqual([1, 2]);
  });

  it('sees the seals a store finds on disk after a restart', async () => {
    const dirs = tempDirs([]);
    cleanups.push(dirs.cleanup);
    const open = () => FeedbackStore.open({ dataDir: dirs.data, threshold: 2, log: silentLogger });
    const store = await open();
    const items = Array.from({ length: 5 }, () => makeItem());
    await store.submit(items.map((item) => ({ item, pixels: decodePixels(item.pixels) })));
    await store.close();
    const again = await open();
    cleanups.push(() => again.close());
    expect(pendingSeals(again.totals().sealedSubsets, manifestWith([0]))).toEqual([1]);
  });
});
