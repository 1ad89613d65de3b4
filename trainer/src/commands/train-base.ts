import * as tf from '@tensorflow/tfjs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { resolveAgainst } from 'sync-server/contract';
import { initBackend } from '../backend';
import { loadConfig } from '../config';
import { loadMnist } from '../data/mnist';
import type { MnistSet } from '../data/mnist';
import { log } from '../log';
import { buildModel } from '../model';
import { publishVersion } from '../registry';
import { scoreParallel } from '../evaluate';
import { recalibrateBatchNorm } from '../train';
import { runWithCheckpoints } from '../train/base-run';
import { loadCheckpoint } from '../train/checkpoint';
import type { CheckpointState } from '../train/checkpoint';
import { defineCommand } from './command';
import { MODELS_DIR_FLAG } from './common-flags';

const DEFAULT_EPOCHS = 5;
const CHECKPOINT_DIR = join(tmpdir(), 'digit-loop-train-base');

const flagsSchema = z.object({
  epochs: z.coerce
    .number()
    .int()
    .min(1)
    .optional()
    .describe(`passes over the training set (default: ${DEFAULT_EPOCHS}, or the checkpoint's)`),
  'batch-size': z.coerce.number().int().min(1).default(128).describe('samples per step'),
  'learning-rate': z.coerce
    .number()
    .positive()
    .default(0.003)
    .describe('peak of the cosine schedule'),
  seed: z.coerce
    .number()
    .int()
    .default(1)
    .describe('seeds the weights, shuffling and augmentation'),
  workers: z.coerce
    .number()
    .int()
    .min(1)
    .max(8)
    .optional()
    .describe('threads computing gradients (default: 1 on tfjs-node, else up to 2)'),
  limit: z.coerce
    .number()
    .int()
    .min(1)
    .max(60_000)
    .optional()
    .describe('train on the first N MNIST samples only'),
  resume: z.boolean().default(false).describe('continue from the checkpoint in --checkpoint-dir'),
  'checkpoint-dir': z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe(`where checkpoints go (default: ${CHECKPOINT_DIR})`),
  'models-dir': MODELS_DIR_FLAG,
  'no-publish': z.boolean().default(false).describe('train and checkpoint, but publish nothing'),
});
type Flags = z.infer<typeof flagsSchema>;

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

/** Measures the trained model on the MNIST test set and publishes it as a base version. */
async function publishBase(
  modelsDir: string,
  model: tf.LayersModel,
  state: CheckpointState,
  info: { backend: string; durationMs: number; samples: number; startedAt: Date },
) {
  // Augmented, high-LR training leaves BatchNorm's moving statistics behind the weights.
  recalibrateBatchNorm(model, loadMnist('train'), { batches: 20, batchSize: 500 });
  const testAccuracy = (await scoreParallel(model, loadMnist('test'))).accuracy ?? 0;
  const minutes = (info.durationMs / 60_000).toFixed(1);
  log(
    'info',
    `MNIST test accuracy ${(testAccuracy * 100).toFixed(2)} % after ${minutes} min of training on ${info.backend}`,
  );
  return publishVersion({
    modelsDir,
    model,
    parent: null,
    trainedOn: { subsets: [], samples: info.samples },
    metrics: { mnistTestAccuracy: testAccuracy },
    training: {
      kind: 'base',
      epochs: state.epochs,
      seed: state.seed,
      backend: info.backend,
      durationMs: info.durationMs,
      batchSize: state.batchSize,
      learningRate: state.learningRate,
    },
    startedAt: info.startedAt,
    reason: `base model: ${state.epochs} epochs on ${info.samples} MNIST samples`,
  });
}

export const command = defineCommand({
  name: 'train-base',
  summary:
    'Trains the base model on MNIST with augmentation and a cosine schedule, checkpointing every ' +
    'epoch and every 5 min, then publishes it as a version (parent null) with its MNIST test ' +
    'accuracy and how it was trained. Ctrl-C stops between batches, writes a checkpoint and ' +
    'publishes nothing; --resume continues from the checkpoint.',
  flags: flagsSchema,
  run: trainBase,
});

async function trainBase(flags: Flags): Promise<number> {
  const config = loadConfig(flags);
  const startedAt = new Date();
  const backend = await initBackend();
  const dir = flags['checkpoint-dir']
    ? resolveAgainst(config.baseDir, flags['checkpoint-dir'])
    : CHECKPOINT_DIR;
  const { model, optimizer, state } = await startingPoint(flags, dir);
  const data = subset(loadMnist('train'), state.limit ?? undefined);
  log(
    'info',
    `training ${model.countParams()} parameters on ${data.count} MNIST samples, ${state.epochs} epochs, batch ${state.batchSize}`,
  );
  // wasm and cpu use one core per thread, so gradient shards on a second thread pay off;
  // tfjs-node already spreads each op over every core.
  const workers =
    flags.workers ?? (backend === 'tensorflow' ? 1 : Math.min(2, availableParallelism()));
  const result = await runWithCheckpoints({
    model,
    optimizer,
    state,
    data,
    dir,
    workers,
    augmentOptions: BASE_AUGMENT,
    checkpointEveryMs: CHECKPOINT_EVERY_MS,
    onEpoch: (epoch, loss, acc) =>
      log(
        'info',
        `epoch ${epoch + 1}/${state.epochs}: loss ${loss.toFixed(4)}, acc ${(acc * 100).toFixed(2)} %`,
      ),
  });
  if (result.aborted) {
    log(
      'warn',
      `interrupted; checkpoint saved in ${dir} (resume with --resume); nothing published`,
    );
    return 130;
  }
  if (flags['no-publish']) {
    log('info', `not published (--no-publish); the trained model is in ${dir}`);
    return 0;
  }
  const info = { backend, durationMs: result.durationMs, samples: data.count, startedAt };
  const entry = await publishBase(config.modelsDir, model, state, info);
  process.stdout.write(
    `${JSON.stringify({ outcome: 'published', version: entry.version, metrics: entry.metrics })}\n`,
  );
  return 0;
}
