import * as tf from '@tensorflow/tfjs';
import { augmentBatch } from '../data/augment';
import type { AugmentOptions } from '../data/augment';
import { imagesTensor, labelsTensor } from './batch';
import type { SampleSet } from './batch';
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
  /** Resume: epochs already done (the LR schedule and shuffles continue from there). */
  initialEpoch?: number;
  /** Resume: an optimizer carrying restored state; default a fresh Adam. */
  optimizer?: tf.Optimizer;
}

export interface FitResult {
  epochs: number; // epochs completed by this call
  loss: number;
  acc: number;
  durationMs: number;
  backend: string;
  aborted: boolean;
}

type Stepper = (x: tf.Tensor4D, y: tf.Tensor2D) => [number, number];

function makeStep(model: tf.LayersModel, optimizer: tf.Optimizer): Stepper {
  return (x, y) => {
    let acc = 0;
    const cost = optimizer.minimize(() => {
      const probs = model.apply(x, { training: true }) as tf.Tensor2D;
      acc = tf.tidy(() => probs.argMax(-1).equal(y.argMax(-1)).mean().dataSync()[0] ?? 0);
      return tf.metrics.categoricalCrossentropy(y, probs).mean() as tf.Scalar;
    }, true);
    const loss = cost?.dataSync()[0] ?? Number.NaN;
    cost?.dispose();
    return [loss, acc];
  };
}

function augmentMask(rule: FitOptions['augment'], idx: Uint32Array): boolean[] | null {
  if (!rule) return null;
  return Array.from(idx, (i) => (rule === true ? true : rule(i)));
}

/**
 * Trains `model` in place on `data` with Adam, mini-batches shuffled per epoch from `seed`, an
 * optional cosine LR schedule and on-the-fly augmentation. Used for the base model and, at a low
 * LR on a small mixed set, for fine-tuning. Stops cleanly between batches when `signal` aborts.
 */
export async function fit(
  model: tf.LayersModel,
  data: SampleSet,
  opts: FitOptions,
): Promise<FitResult> {
  const started = Date.now();
  const batches = Math.ceil(data.count / opts.batchSize);
  const optimizer = opts.optimizer ?? tf.train.adam(opts.learningRate);
  const setRate = (lr: number) =>
    ((optimizer as unknown as { learningRate: number }).learningRate = lr);
  const step = makeStep(model, optimizer);
  const first = opts.initialEpoch ?? 0;
  let last = { loss: Number.NaN, acc: Number.NaN, epochs: 0 };
  for (let epoch = first; epoch < opts.epochs; epoch++) {
    const random = createRng(opts.seed * 7919 + epoch);
    const order = shuffledIndices(data.count, random);
    const epochStart = Date.now();
    let [sumLoss, sumAcc, seen] = [0, 0, 0];
    for (let b = 0; b < batches; b++) {
      if (opts.signal?.aborted)
        return {
          ...last,
          durationMs: Date.now() - started,
          backend: tf.getBackend(),
          aborted: true,
        };
      const idx = order.subarray(b * opts.batchSize, (b + 1) * opts.batchSize);
      const lr = learningRateAt(
        opts.schedule ?? 'constant',
        opts.learningRate,
        epoch * batches + b,
        opts.epochs * batches,
      );
      setRate(lr);
      const mask = augmentMask(opts.augment, idx);
      const [loss, acc] = tf.tidy(() => {
        const raw = imagesTensor(data, idx);
        const x = mask ? augmentBatch(raw, { ...opts.augmentOptions, mask, random }) : raw;
        return step(x, labelsTensor(data, idx));
      });
      [sumLoss, sumAcc, seen] = [
        sumLoss + loss * idx.length,
        sumAcc + acc * idx.length,
        seen + idx.length,
      ];
      opts.onProgress?.({
        epoch,
        epochs: opts.epochs,
        batch: b + 1,
        batches,
        loss: sumLoss / seen,
        acc: sumAcc / seen,
        learningRate: lr,
        samplesPerSec: (seen * 1000) / Math.max(1, Date.now() - epochStart),
      });
      await new Promise<void>((resolve) => setImmediate(resolve)); // let signals and I/O run
    }
    last = { loss: sumLoss / seen, acc: sumAcc / seen, epochs: epoch + 1 - first };
    await opts.onEpochEnd?.({ epoch, loss: last.loss, acc: last.acc, optimizer });
  }
  return { ...last, durationMs: Date.now() - started, backend: tf.getBackend(), aborted: false };
}
