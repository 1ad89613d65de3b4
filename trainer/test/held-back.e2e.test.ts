import { join } from 'node:path';
import { appendReviewDecisions, readHeldBack, readManifest } from 'sync-server/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/backend';
import { runRetrain, RETRAIN_DEFAULTS, type RetrainOptions } from '../src/commands/retrain';
import { loadMnist } from '../src/data/mnist';
import { readNewData } from '../src/data/subsets';
import { pick } from '../src/evaluate';
import type { SampleSet } from '../src/train';
import { sureOfZero, tempDir } from './helpers/tiny-model';
import { publishBase } from './helpers/publish-base';
import { writeNewData } from './helpers/write-new-data';

// The answers the live model disputes reach review: the trainer records them, later runs keep
// them out while they wait, and an accept lets them train.
const N = 20;
const range = (from: number, n: number) => Uint32Array.from({ length: n }, (_, i) => from + i);
let root: Awaited<ReturnType<typeof tempDir>>;
let mnist: { train: SampleSet; test: SampleSet };

beforeAll(async () => {
  await initBackend({ quiet: true });
  mnist = {
    train: pick(loadMnist('train'), range(0, 300)),
    test: pick(loadMnist('test'), range(0, 100)),
  };
  root = await tempDir('held-back-e2e-');
  await publishBase(join(root.dir, 'models'), sureOfZero(), 1);
}, 60_000);
afterAll(() => root.cleanup());

const dataDir = () => join(root.dir, 'new_data');
const retrain = (force: boolean) =>
  runRetrain({
    ...RETRAIN_DEFAULTS,
    dataDir: dataDir(),
    modelsDir: join(root.dir, 'models'),
    threshold: 10,
    epochs: 1,
    replay: 50,
    thresholds: { maxMnistDrop: 100, maxDigitDrop: 100, holdoutAlpha: 0 },
    force,
    reevalLive: true,
    evalWorkers: 0,
    mnist: () => mnist,
  } satisfies RetrainOptions);

describe('answers the trainer holds back', () => {
  it('are recorded for review, wait while pending, and train once accepted', async () => {
    const sevens = pick(mnist.train, range(0, N));
    sevens.labels.fill(7);
    await writeNewData(dataDir(), sevens, { perSubset: 10, tag: 'held-back' });
    const ids = (await readNewData(dataDir(), { threshold: 10 }))
      .flatMap((s) => s.samples)
      .map((s) => s.id);

    const first = await retrain(false);
    expect(first.outcome).toBe('rejected');
    expect(first.metrics.feedbackDisputed).toBe(N);
    const held = await readHeldBack(dataDir());
    expect(held.map((h) => h.id).sort()).toEqual([...ids].sort());
    expect(new Set(held.map((h) => h.flag))).toContain('disputed');

    // Pending review: kept out even before the live model is asked, and written only once.
    const second = await retrain(true);
    expect(second.reason).toMatch(/awaits review/);
    expect(await readHeldBack(dataDir())).toHaveLength(N);

    const at = new Date().toISOString();
    await appendReviewDecisions(
      dataDir(),
      ids.map((id) => ({ id, decision: 'accept' as const, at, by: 'test' })),
    );
    const third = await retrain(true);
    expect(third.metrics).toMatchObject({ feedbackDisputed: 0, feedbackPendingReview: 0 });
    const history = (await readManifest(join(root.dir, 'models')))!.history.at(-1)!;
    expect(history.trainedOn!.samples + third.metrics.holdoutSamples!).toBe(N);
  }, 120_000);
});
