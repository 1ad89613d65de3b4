import * as tf from '@tensorflow/tfjs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { initBackend } from '../backend';
import { loadConfig, resolveAgainst } from '../config';
import { loadMnist } from '../data/mnist';
import type { MnistSet } from '../data/mnist';
import { log } from '../log';
import { buildModel } from '../model';
import { publishVersion } from '../registry';
import { accuracy, fit } from '../train';
import { loadCheckpoint, saveCheckpoint } from '../train/checkpoint';
import type { CheckpointState } from '../train/checkpoint';
import { createProgressBar } from '../train/progress';
import { parseFlags } from './args';

const OPTIONS = {
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  'learning-rate': { type: 'string' },
  seed: { type: 'string' },
  workers: { type: 'string' },
  limit: { type: 'string' },
  resume: { type: 'boolean' },
  'checkpoint-dir': { type: 'string' },
  'models-dir': { type: 'string' },
  'no-publish': { type: 'boolean' },
} as const;

const flagsSchema = z.object({
  epochs: z.coerce.number().int().min(1).optional(),
  'batch-size': z.coerce.number().int().min(1).default(128),
  'learning-rate': z.coerce.number().positive().default(0.003),
  seed: z.coerce.number().int().default(1),
  workers: z.coerce.number().int().min(1).max(8).default(1),
  limit: z.coerce.number().int().min(1).max(60_000).optional(),
  resume: z.boolean().optional(),
  'checkpoint-dir': z.string().optional(),
  'models-dir': z.string().optional(),
  'no-publish': z.boolean().optional(),
});
type Flags = z.infer<typeof flagsSchema>;

const DEFAULT_EPOCHS = 5;
const CHECKPOINT_EVERY_MS = 5 * 60_000;
// Milder than the feedback augmentation: MNIST is clean, and the run is only a few epochs.
const BASE_AUGMENT = {
  rotationDeg: 10,
  scale: [0.9, 1.1] as [number, number],
  shiftPx: 2,
  shear: 0.1,
  thicknessProb: 0.2,
};

function subset(set: MnistSet, limit: number | undefined): MnistSet {
  if (!limit || limit >= set.count) return set;
  return {
    images: set.images.subarray(0, limit * 784),
    labels: set.labels.subarray(0, limit),
    count: limit,
  };
}

async function startingPoint(flags: Flags, dir: string) {
  const saved = flags.resume ? await loadCheckpoint(dir) : null;
  if (saved) {
    log(
      'info',
      `resuming from ${dir} at epoch ${saved.state.epoch + 1}, batch ${saved.state.batch}`,
    );
    // A new --epochs on resume stretches or shortens the cosine schedule from here on.
    if (flags.epochs) saved.state.epochs = flags.epochs;
    return saved;
  }
  if (flags.resume) log('warn', `no checkpoint in ${dir}; starting afresh`);
  const state: CheckpointState = {
    epoch: 0,
    batch: 0,
    epochs: flags.epochs ?? DEFAULT_EPOCHS,
    batchSize: flags['batch-size'],
    learningRate: flags['learning-rate'],
    seed: flags.seed,
    limit: flags.limit ?? null,
    elapsedMs: 0,
    savedAt: new Date().toISOString(),
  };
  return {
    model: buildModel({ seed: flags.seed }),
    optimizer: tf.train.adam(state.learningRate),
    state,
  };
}

/**
 * `train-base [--epochs N] [--batch-size N] [--learning-rate X] [--seed N] [--limit N] [--resume]
 * [--checkpoint-dir DIR] [--models-dir DIR] [--no-publish]`: trains the base model on MNIST
 * with augmentation and a cosine schedule, checkpointing every epoch and every 5 min, then
 * publishes it as a version (parent null) with its MNIST test accuracy and training info.
 * Ctrl-C stops between batches, writes a checkpoint (atomically) and publishes nothing.
 */
export async function run(args: string[]): Promise<number> {
  const config = loadConfig();
  const { flags } = parseFlags(args, OPTIONS, flagsSchema);
  const startedAt = new Date();
  const backend = await initBackend();
  const dir = flags['checkpoint-dir']
    ? resolveAgainst(config.baseDir, flags['checkpoint-dir'])
    : join(tmpdir(), 'digit-loop-train-base');
  const modelsDir = flags['models-dir']
    ? resolveAgainst(config.baseDir, flags['models-dir'])
    : config.modelsDir;
  const { model, optimizer, state } = await startingPoint(flags, dir);
  const train = subset(loadMnist('train'), state.limit ?? undefined);
  const batches = Math.ceil(train.count / state.batchSize);
  log(
    'info',
    `training ${model.countParams()} parameters on ${train.count} MNIST samples, ${state.epochs} epochs, batch ${state.batchSize}`,
  );

  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  const bar = createProgressBar(state.epochs * batches, state.epoch * batches + state.batch);
  const segmentStart = Date.now();
  let lastSave = Date.now();
  const save = async (epoch: number, batch: number) => {
    const now = Date.now();
    const next = {
      ...state,
      epoch,
      batch,
      elapsedMs: state.elapsedMs + now - segmentStart,
      savedAt: new Date().toISOString(),
    };
    await saveCheckpoint(dir, model, optimizer, next);
    lastSave = now;
  };
  let position = { epoch: state.epoch, batch: state.batch };
  const result = await fit(model, train, {
    epochs: state.epochs,
    batchSize: state.batchSize,
    learningRate: state.learningRate,
    schedule: 'cosine',
    augment: true,
    augmentOptions: BASE_AUGMENT,
    seed: state.seed,
    optimizer,
    workers: flags.workers,
    initialEpoch: state.epoch,
    initialBatch: state.batch,
    signal: controller.signal,
    onProgress: (p) => bar.update(p),
    onBatchEnd: async (e) => {
      position =
        e.batch === e.batches
          ? { epoch: e.epoch + 1, batch: 0 }
          : { epoch: e.epoch, batch: e.batch };
      if (Date.now() - lastSave > CHECKPOINT_EVERY_MS) await save(position.epoch, position.batch);
    },
    onEpochEnd: async (e) => {
      await save(e.epoch + 1, 0);
      log(
        'info',
        `epoch ${e.epoch + 1}/${state.epochs}: loss ${e.loss.toFixed(4)}, acc ${(e.acc * 100).toFixed(2)} %`,
      );
    },
  });
  bar.stop();
  process.off('SIGINT', onSigint);
  process.off('SIGTERM', onSigint);
  if (result.aborted) {
    await save(position.epoch, position.batch);
    log(
      'warn',
      `interrupted; checkpoint saved in ${dir} (resume with --resume); nothing published`,
    );
    return 130;
  }
  const durationMs = state.elapsedMs + Date.now() - segmentStart;
  const testAccuracy = accuracy(model, loadMnist('test'));
  log(
    'info',
    `MNIST test accuracy ${(testAccuracy * 100).toFixed(2)} % after ${(durationMs / 60_000).toFixed(1)} min on ${backend}`,
  );
  if (flags['no-publish']) {
    log('info', `not published (--no-publish); the model stays in ${dir}`);
    return 0;
  }
  const entry = await publishVersion({
    modelsDir,
    model,
    parent: null,
    trainedOn: { subsets: [], samples: train.count },
    metrics: { mnistTestAccuracy: testAccuracy },
    training: {
      kind: 'base',
      epochs: state.epochs,
      seed: state.seed,
      backend,
      durationMs,
      batchSize: state.batchSize,
      learningRate: state.learningRate,
    },
    startedAt,
    reason: `base model: ${state.epochs} epochs on ${train.count} MNIST samples`,
  });
  process.stdout.write(
    `${JSON.stringify({ outcome: 'published', version: entry.version, metrics: entry.metrics })}\n`,
  );
  return 0;
}
