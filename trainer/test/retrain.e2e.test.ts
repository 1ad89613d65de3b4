import * as tf from '@tensorflow/tfjs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Manifest } from 'sync-server/contract';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../src/backend';
import { runRetrain, RETRAIN_DEFAULTS, type RetrainOptions } from '../src/commands/retrain';
import { loadMnist } from '../src/data/mnist';
import { pick } from '../src/evaluate';
import { readManifest, withRetrainLock } from 'sync-server/registry';
import { publishVersion } from '../src/registry';
import { fit, type SampleSet } from '../src/train';
import { smallConvModel, tempDir } from './helpers/tiny-model';
import { publishBase } from './helpers/publish-base';
import { writeNewData } from './helpers/write-new-data';

// A few hundred samples and a one-conv model trained in the setup: each run takes seconds.
const range = (from: number, n: number) => Uint32Array.from({ length: n }, (_, i) => from + i);
let mnist: { train: SampleSet; test: SampleSet };
let feedback: SampleSet;
let root: { dir: string; cleanup: () => Promise<void> };
let modelsDir: string;
let dataDir: string;

beforeAll(async () => {
  await initBackend({ quiet: true });
  const train = loadMnist('train');
  const test = loadMnist('test');
  mnist = { train: pick(train, range(0, 1000)), test: pick(test, range(0, 300)) };
  feedback = pick(test, range(5000, 40));
  root = await tempDir('retrain-e2e-');
  [modelsDir, dataDir] = [join(root.dir, 'models'), join(root.dir, 'new_data')];
  const base = smallConvModel(3);
  const optimizer = tf.train.adam(1e-2);
  await fit(base, mnist.train, {
    epochs: 3,
    batchSize: 32,
    learningRate: 1e-2,
    seed: 1,
    optimizer,
  });
  optimizer.dispose();
  await publishVersion({
    modelsDir,
    model: base,
    parent: null,
    trainedOn: { subsets: [], samples: mnist.train.count },
    metrics: { mnistTestAccuracy: 0.5 },
    training: { kind: 'base', epochs: 2, seed: 1, backend: tf.getBackend(), durationMs: 1 },
    startedAt: new Date(),
  });
  base.dispose();
}, 60_000);
afterAll(() => root.cleanup());

const options = (over: Partial<RetrainOptions> = {}): RetrainOptions => ({
  ...RETRAIN_DEFAULTS,
  dataDir,
  modelsDir,
  threshold: 10,
  epochs: 2,
  replay: 200,
  thresholds: { maxMnistDrop: 100, maxDigitDrop: 100, holdoutAlpha: 0 },
  force: false,
  reevalLive: true,
  evalWorkers: 0,
  mnist: () => mnist,
  ...over,
});

// The first retrain makes the live model the champion as measured; the published candidate
// takes over only if it scored higher on MNIST test.
function expectChampion(
  manifest: Manifest,
  metrics: Record<string, number | null>,
  liveVersion: string,
): void {
  const [live, candidate] = [metrics.liveMnistTestAccuracy!, metrics.candidateMnistTestAccuracy!];
  expect(metrics.championEstablished).toBe(1);
  expect(metrics.championMnistTestAccuracy).toBe(live);
  expect(manifest.champion).toMatchObject({
    version: candidate > live ? manifest.current : liveVersion,
    mnistTestAccuracy: Math.max(live, candidate),
  });
  expect(manifest.champion!.perDigitRecall).toHaveLength(10);
  if (candidate > live) {
    const recall = Array.from({ length: 10 }, (_, d) => metrics[`candidateDigitRecall${d}`]);
    expect(manifest.champion!.perDigitRecall).toEqual(recall);
  }
}

describe('retrain end to end', () => {
  it('fine-tunes on all sealed subsets, publishes, and records the attempt', async () => {
    await writeNewData(dataDir, pick(feedback, range(0, 35)), { perSubset: 10, tag: 'e2e' });
    const tensors = tf.memory().numTensors;
    // A hand per answer (no client ids), 10 digits each, and as many replay digits again.
    const result = await runRetrain(options({ writerDigits: 160 }));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(result.outcome).toBe('published');
    expect(result.subsets).toEqual([0, 1, 2]);
    const manifest = (await readManifest(modelsDir))!;
    expect(manifest.current).toBe(result.version);
    const entry = manifest.versions.find((v) => v.version === result.version)!;
    expect(entry.parent).toBe(manifest.versions[0]?.version);
    expect(entry.trainedOn.subsets).toEqual([0, 1, 2]);
    const holdout = result.metrics.holdoutSamples!;
    expect(entry.trainedOn.samples + holdout).toBe(30);
    expect(entry.metrics.mnistTestAccuracy).toBe(result.metrics.candidateMnistTestAccuracy);
    expect(entry.training).toMatchObject({
      kind: 'retrain',
      epochs: 2,
      learningRate: RETRAIN_DEFAULTS.learningRate,
    });
    expect(result.metrics).toMatchObject({
      prequentialSubset: 2,
      prequentialSamples: 10,
      replaySamples: 200 + RETRAIN_DEFAULTS.writerReplay * result.metrics.writerDigits!,
    });
    expect(result.metrics.writerDigits).toBe(10 * result.metrics.oneAnswerHands!);
    expect(result.metrics.oneAnswerHands).toBeGreaterThan(0);
    expect(manifest.history.at(-1)).toMatchObject({
      outcome: 'published',
      version: result.version,
      thresholds: options().thresholds,
    });
    expectChampion(manifest, result.metrics, entry.parent!);
    const json = JSON.parse(await readFile(join(modelsDir, result.version!, 'model.json'), 'utf8'));
    expect(json.format).toBe('layers-model');
  }, 30_000);

  it('rejects quickly when no sealed subset is new, and records why', async () => {
    const result = await runRetrain(options());
    expect(result.outcome).toBe('rejected');
    expect(result.reason).toMatch(/^nothing new/);
    expect(result.phasesMs.train).toBeUndefined();
    expect((await readManifest(modelsDir))!.history.at(-1)).toMatchObject({ outcome: 'rejected' });
  });

  it('rejects a candidate the gate refuses, keeping the live version', async () => {
    await writeNewData(dataDir, feedback, { perSubset: 10, tag: 'e2e' });
    const live = (await readManifest(modelsDir))!.current;
    const strict = { maxMnistDrop: -100, maxDigitDrop: 0, holdoutAlpha: 0.05 };
    const result = await runRetrain(options({ thresholds: strict, reevalLive: false }));
    expect(result.outcome).toBe('rejected');
    expect(result.reason).toMatch(/^MNIST test .* is below the floor .* \(champion .* − -100\)$/);
    const manifest = (await readManifest(modelsDir))!;
    expect(manifest.current).toBe(live);
    expect(manifest.history.at(-1)).toMatchObject({
      outcome: 'rejected',
      parent: live,
      trainedOn: { subsets: [0, 1, 2, 3] },
      metrics: {
        liveMnistTestAccuracy: expect.any(Number),
        candidateMnistTestAccuracy: expect.any(Number),
        championMnistTestAccuracy: manifest.champion!.mnistTestAccuracy,
        holdoutFixed: expect.any(Number),
        holdoutBroken: expect.any(Number),
        holdoutP: expect.any(Number),
      },
      thresholds: strict,
    });
    expect(manifest.history.at(-1)!.metrics).not.toHaveProperty('championEstablished');
  }, 30_000);

  it('ends failed and recorded when stopped (SIGTERM aborts the signal), lock released', async () => {
    const result = await runRetrain(options({ force: true, signal: AbortSignal.abort() }));
    expect(result).toMatchObject({ outcome: 'failed', reason: 'interrupted' });
    expect((await readManifest(modelsDir))!.history.at(-1)).toMatchObject({
      outcome: 'failed',
      reason: 'interrupted',
    });
    await expect(withRetrainLock(modelsDir, async () => 'free')).resolves.toBe('free');
  });

  it('fails without touching anything while another run holds the lock', async () => {
    const before = await readFile(join(modelsDir, 'manifest.json'), 'utf8');
    let result;
    // A concurrent holder in this process is refused exactly like another process.
    let release!: () => void;
    let holder!: Promise<void>;
    const held = new Promise<void>((entered) => {
      holder = withRetrainLock(
        modelsDir,
        () => new Promise<void>((r) => ((release = r), entered())),
      );
    });
    await held;
    try {
      result = await runRetrain(options({ force: true }));
    } finally {
      release();
      await holder;
    }
    expect(result.outcome).toBe('failed');
    expect(result.reason).toMatch(/holds/);
    expect(await readFile(join(modelsDir, 'manifest.json'), 'utf8')).toBe(before);
  });

  it('drops the champion with a new base model; the next retrain establishes it again', async () => {
    await publishBase(modelsDir, smallConvModel(4), 4);
    const fresh = (await readManifest(modelsDir))!;
    expect(fresh.champion).toBeUndefined();
    const result = await runRetrain(options({ force: true, reevalLive: false }));
    expect(result.outcome).toBe('published');
    expectChampion((await readManifest(modelsDir))!, result.metrics, fresh.current);
  }, 30_000);
});

describe('retrain end to end, writers', () => {
  it("writes one hand's digits per new subset, however many writers share it", async () => {
    const own = await tempDir('retrain-writers-');
    try {
      const [models, data] = [join(own.dir, 'models'), join(own.dir, 'new_data')];
      await publishBase(models, smallConvModel(5), 5);
      // Two subsets of 10 from three devices, 6 or 7 answers each: three hands to fit, and
      // a budget of two hands' digits.
      await writeNewData(data, pick(feedback, range(0, 20)), {
        perSubset: 10,
        tag: 'writers',
        meta: (i) => ({ client_id: `00000000-0000-4000-8000-00000000000${i % 3}` }),
      });
      const result = await runRetrain(
        options({ dataDir: data, modelsDir: models, writerDigits: 30, fitWriters: 'all' }),
      );
      expect(result.outcome).toBe('published');
      expect(result.metrics.writerHands).toBe(3);
      expect(result.metrics.oneAnswerHands).toBe(0);
      // Each hand's 30 scaled by the same factor, to 20.
      expect(result.metrics.writerDigits).toBe(2 * 30);
    } finally {
      await own.cleanup();
    }
  }, 30_000);
});
