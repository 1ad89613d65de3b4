import * as tf from '@tensorflow/tfjs';
import type { AugmentOptions } from '../data/augment';
import type { SampleSet } from './batch';
import { trainingBatch, trainingLoss } from './gradients';
import { ParallelTrainer } from './parallel';
import { createRng, shuffledIndices } from './rng';
import { learningRateAt } from './schedule';
import type { ScheduleKind } from './schedule';

export interface FitProgress {
  epoch: number; // 0-based
  epochs: number;
  batch: number; // 1-based within the epoch
  batches: number;
  loss: number; // running mean over the epoch so far
  acc: number;
  learningRate: number;
  samplesPerSec: number;
}

export interface EpochEnd {
  epoch: number;
  loss: number;
  acc: number;
  optimizer: tf.Optimizer;
}

export interface BatchEnd {
  epoch: number;
  /** Batches of `epoch` done so far. */
  batch: number;
  batches: number;
  optimizer: tf.Optimizer;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  schedule?: ScheduleKind;
  /** Augment every sample (true), none (false), or those for which this returns true (by index). */
  augment?: boolean | ((sampleIndex: number) => boolean);
  augmentOptions?: Omit<AugmentOptions, 'mask' | 'random'>;
  seed: number;
  onProgress?: (p: FitProgress) => void;
  /** Awaited after each epoch (e.g. to write a checkpoint). */
  onEpochEnd?: (e: EpochEnd) => Promise<void> | void;
  signal?: AbortSignal;
  /** Awaited after each batch (e.g. for a time-based mid-epoch checkpoint). */
  onBatchEnd?: (e: BatchEnd) => Promise<void> | void;
  /** Resume: epochs already done (the LR schedule and shuffles continue from there). */
  initialEpoch?: number;
  /** Resume: batches of `initialEpoch` already done (its shuffle is replayed from the seed). */
  initialBatch?: number;
  /** Threads computing gradient shards in parallel (main thread included); default 1. */
  workers?: number;
  /** Resume: an optimizer carrying restored state; default a fresh Adam. */
  optimizer?: tf.Optimizer;
  /** Normalize with BatchNorm's stored statistics and keep them (single-thread runs only). */
  frozenBatchNorm?: boolean;
  /** A term added to every batch's loss, e.g. an L2-SP pull (single-thread runs only). */
  penalty?: () => tf.Scalar;
}

export interface FitResult {
  epochs: number; // epochs completed by this call
  loss: number;
  acc: number;
  durationMs: number;
  backend: string;
  aborted: boolean;
}

/** One optimizer step on the samples at `idx`; resolves to the batch's loss and accuracy. */
type Stepper = (
  idx: Uint32Array,
  mask: boolean[] | null,
  seed: number,
) => Promise<[number, number]>;

function makeStep(
  model: tf.LayersModel,
  data: SampleSet,
  optimizer: tf.Optimizer,
  opts: FitOptions,
): Stepper {
  // Explicit variables: only this model's, in its stable order (Adam keys its state by index).
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  return (idx, mask, seed) => {
    let acc = 0;
    const loss = tf.tidy(() => {
      const { x, y } = trainingBatch(data, idx, mask, seed, opts.augmentOptions);
      const cost = optimizer.minimize(
        () => {
          const loss = trainingLoss(model, x, y, (a) => (acc = a), opts.frozenBatchNorm);
          return opts.penalty ? loss.add(opts.penalty()) : loss;
        },
        true,
        variables,
      );
      return cost?.dataSync()[0] ?? Number.NaN;
    });
    return Promise.resolve([loss, acc]);
  };
}

function augmentMask(rule: FitOptions['augment'], idx: Uint32Array): boolean[] | null {
  if (!rule) return null;
  return Array.from(idx, (i) => (rule === true ? true : rule(i)));
}

interface EpochRun {
  model: tf.LayersModel;
  data: SampleSet;
  opts: FitOptions;
  optimizer: tf.Optimizer;
  step: Stepper;
  epoch: number;
  firstBatch: number;
}

/** Runs one epoch from `firstBatch`; returns its mean loss/accuracy, or null when aborted. */
async function runEpoch(r: EpochRun): Promise<{ loss: number; acc: number } | null> {
  const { data, opts, optimizer, epoch } = r;
  const batches = Math.ceil(data.count / opts.batchSize);
  const random = createRng(opts.seed * 7919 + epoch);
  const order = shuffledIndices(data.count, random);
  const setRate = (lr: number) =>
    ((optimizer as unknown as { learningRate: number }).learningRate = lr);
  const started = Date.now();
  let [sumLoss, sumAcc, seen] = [0, 0, 0];
  for (let b = r.firstBatch; b < batches; b++) {
    if (opts.signal?.aborted) return null;
    const idx = order.subarray(b * opts.batchSize, (b + 1) * opts.batchSize);
    const total = opts.epochs * batches;
    const lr = learningRateAt(
      opts.schedule ?? 'constant',
      opts.learningRate,
      epoch * batches + b,
      total,
    );
    setRate(lr);
    const mask = augmentMask(opts.augment, idx);
    const [loss, acc] = await r.step(idx, mask, Math.floor(random() * 2 ** 31));
    [sumLoss, sumAcc, seen] = [
      sumLoss + loss * idx.length,
      sumAcc + acc * idx.length,
      seen + idx.length,
    ];
    const samplesPerSec = (seen * 1000) / Math.max(1, Date.now() - started);
    const [mLoss, mAcc] = [sumLoss / seen, sumAcc / seen];
    opts.onProgress?.({
      epoch,
      epochs: opts.epochs,
      batch: b + 1,
      batches,
      loss: mLoss,
      acc: mAcc,
      learningRate: lr,
      samplesPerSec,
    });
    await opts.onBatchEnd?.({ epoch, batch: b + 1, batches, optimizer });
    await new Promise<void>((resolve) => setImmediate(resolve)); // let signals and I/O run
  }
  return { loss: sumLoss / Math.max(1, seen), acc: sumAcc / Math.max(1, seen) };
}

/**
 * Trains `model` in place on `data` with Adam, mini-batches shuffled per epoch from `seed`, an
 * optional cosine LR schedule and on-the-fly augmentation. Used for the base model and, at a low
 * LR on a small mixed set, for fine-tuning. Stops cleanly between batches when `signal` aborts
 * (the result then says `aborted`); resumable from `initialEpoch`/`initialBatch`.
 */
export async function fit(
  model: tf.LayersModel,
  data: SampleSet,
  opts: FitOptions,
): Promise<FitResult> {
  const started = Date.now();
  const optimizer = opts.optimizer ?? tf.train.adam(opts.learningRate);
  if ((opts.workers ?? 1) > 1 && (opts.frozenBatchNorm || opts.penalty)) {
    throw new Error('frozenBatchNorm and penalty are not supported with worker threads');
  }
  const parallel =
    (opts.workers ?? 1) > 1
      ? await ParallelTrainer.start(model, data, (opts.workers ?? 1) - 1, opts.augmentOptions)
      : null;
  const step: Stepper = parallel
    ? (idx, mask, seed) => parallel.step(optimizer, idx, mask, seed)
    : makeStep(model, data, optimizer, opts);
  try {
    return await epochs(model, data, opts, optimizer, step, started);
  } finally {
    await parallel?.stop();
  }
}

async function epochs(
  model: tf.LayersModel,
  data: SampleSet,
  opts: FitOptions,
  optimizer: tf.Optimizer,
  step: Stepper,
  started: number,
): Promise<FitResult> {
  const first = opts.initialEpoch ?? 0;
  let last = { loss: Number.NaN, acc: Number.NaN };
  for (let epoch = first; epoch < opts.epochs; epoch++) {
    const firstBatch = epoch === first ? (opts.initialBatch ?? 0) : 0;
    const result = await runEpoch({ model, data, opts, optimizer, step, epoch, firstBatch });
    const done = { durationMs: Date.now() - started, backend: tf.getBackend() };
    if (!result) return { ...last, epochs: epoch - first, ...done, aborted: true };
    last = result;
    await opts.onEpochEnd?.({ epoch, ...result, optimizer });
  }
  const done = { durationMs: Date.now() - started, backend: tf.getBackend() };
  return { ...last, epochs: opts.epochs - first, ...done, aborted: false };
}
