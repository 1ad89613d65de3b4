import { join } from 'node:path';
import { appendReviewDecision, readManifest } from 'sync-server/registry';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/backend';
import { runRetrain, RETRAIN_DEFAULTS } from '../src/commands/retrain';
import { loadMnist } from '../src/data/mnist';
import { readNewData } from '../src/data/subsets';
import { pick } from '../src/evaluate';
import type { SampleSet } from '../src/train';
import { smallConvModel, tempDir } from './helpers/tiny-model';
import { publishBase } from './helpers/publish-base';
import { writeNewData } from './helpers/write-new-data';

// What review and the caps let through, seen from a real retrain's record: a flooding client,
// flagged answers (one accepted), a rejected unflagged answer, and ordinary ones.
const FLOOD = 'f1000000-0000-4000-8000-000000000001';
const range = (from: number, n: number) => Uint32Array.from({ length: n }, (_, i) => from + i);
let root: Awaited<ReturnType<typeof tempDir>>;
let mnist: { train: SampleSet; test: SampleSet };

beforeAll(async () => {
  await initBackend({ quiet: true });
  mnist = {
    train: pick(loadMnist('train'), range(0, 500)),
    test: pick(loadMnist('test'), range(0, 200)),
  };
  root = await tempDir('screen-e2e-');
  await publishBase(join(root.dir, 'models'), smallConvModel(2), 2);
}, 60_000);
afterAll(() => root.cleanup());

describe('review and per-client caps in a real retrain', () => {
  it('trains only on what review and the caps let through, and records the counts', async () => {
    const dataDir = join(root.dir, 'new_data');
    // 0-79: the flooding client; 80-89: flagged burst answers; 90-119: no client id.
    await writeNewData(dataDir, pick(mnist.train, range(0, 120)), {
      perSubset: 10,
      tag: 'screen',
      meta: (i) => (i < 80 ? { client_id: FLOOD } : i < 90 ? { flags: ['burst'] } : {}),
    });
    const samples = (await readNewData(dataDir, { threshold: 10 })).flatMap((s) => s.samples);
    const id = (i: number) => samples[i]!.id;
    await appendReviewDecision(dataDir, {
      id: id(80),
      decision: 'accept',
      at: new Date().toISOString(),
      by: 't',
    });
    await appendReviewDecision(dataDir, {
      id: id(90),
      decision: 'reject',
      at: new Date().toISOString(),
      by: 't',
    });

    const result = await runRetrain({
      ...RETRAIN_DEFAULTS,
      dataDir,
      modelsDir: join(root.dir, 'models'),
      threshold: 10,
      epochs: 1,
      replay: 100,
      disputeConfidence: 0,
      thresholds: { maxMnistDrop: 100, maxDigitDrop: 100, holdoutAlpha: 0 },
      force: false,
      reevalLive: true,
      evalWorkers: 0,
      mnist: () => mnist,
    });
    expect(result.metrics).toMatchObject({
      feedbackClientCap: 50,
      feedbackCapped: 30,
      feedbackCappedClients: 1,
      feedbackPendingReview: 9,
      feedbackRejected: 1,
      feedbackDisputed: 0,
    });
    // 120 answers − 30 capped − 9 pending − 1 rejected = 80 usable, split by the id hash.
    const history = (await readManifest(join(root.dir, 'models')))!.history.at(-1)!;
    expect(history.trainedOn!.samples + result.metrics.holdoutSamples!).toBe(80);
  }, 60_000);
});
