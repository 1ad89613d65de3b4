import * as tf from '@tensorflow/tfjs';
import { pick } from '../../evaluate';
import {
  createRng,
  fit,
  l2spPenalty,
  l2spVariables,
  recalibrateBatchNorm,
  shuffledIndices,
  type FitResult,
  type SampleSet,
} from '../../train';
import { log } from '../../log';
import type { Feedback } from './feedback';
import { buildMix } from './mix';
import { freezeBelow } from './freeze';
import { RETRAIN_DEFAULTS, type RetrainOptions } from './options';
import type { Run } from './run';

/** Clean MNIST digits used to re-estimate BatchNorm statistics after fine-tuning. */
const CALIBRATION_SAMPLES = 2000;

/** Small moves only: a user's digit is already off MNIST; the full augmentation adds to that. */
const MILD_AUGMENT = {
  rotationDeg: 5,
  scale: [0.95, 1.05] as [number, number],
  shiftPx: 2,
  shear: 0.05,
  thicknessProb: 0,
};

/**
 * Fine-tunes `model` in place at a low constant learning rate on the feedback's training
 * part (new answers and the recall sample) mixed with MNIST replay; only the feedback copies
 * are augmented.
 */
export async function fineTune(
  model: tf.LayersModel,
  feedback: Feedback,
  mnistTrain: SampleSet,
  options: RetrainOptions,
  run: Run,
): Promise<FitResult> {
  const fresh = feedback.train.slice(0, feedback.newTrain);
  const recall = feedback.train.slice(feedback.newTrain);
  const mix = buildMix({ fresh, recall }, mnistTrain, options);
  run.metrics.feedbackTrainSamples = feedback.train.length;
  run.metrics.feedbackNewSamples = feedback.newTrain;
  run.metrics.recallSamples = recall.length;
  run.metrics.feedbackRepeat = mix.repeat;
  run.metrics.replaySamples = mix.feedbackStart;
  log(
    'info',
    `fine-tuning on ${fresh.length} new answers ×${mix.repeat} + ${recall.length} recalled ` +
      `+ ${mix.feedbackStart} MNIST replay, ` +
      `${options.epochs} epochs, ${options.optimizer ?? RETRAIN_DEFAULTS.optimizer} lr ${options.learningRate}`,
  );
  const batchNorm = options.batchNorm ?? RETRAIN_DEFAULTS.batchNorm;
  const l2sp = options.l2sp ?? RETRAIN_DEFAULTS.l2sp;
  const augment = options.augment ?? RETRAIN_DEFAULTS.augment;
  const restore = freezeBelow(model, options.tune ?? RETRAIN_DEFAULTS.tune);
  // Our own optimizer, so its slot variables can be freed when the run ends.
  const optimizer =
    (options.optimizer ?? RETRAIN_DEFAULTS.optimizer) === 'sgd'
      ? tf.train.momentum(options.learningRate, 0.9)
      : tf.train.adam(options.learningRate);
  const pull = l2sp > 0 ? l2spPenalty(l2spVariables(model), l2sp) : null;
  try {
    const result = await fit(model, mix.set, {
      epochs: options.epochs,
      batchSize: options.batchSize,
      learningRate: options.learningRate,
      schedule: options.schedule ?? RETRAIN_DEFAULTS.schedule,
      augment: augment !== 'none' && ((i) => i >= mix.feedbackStart),
      ...(augment === 'mild' && { augmentOptions: MILD_AUGMENT }),
      seed: options.seed,
      optimizer,
      frozenBatchNorm: batchNorm === 'frozen',
      ...(pull && { penalty: pull.penalty }),
      ...(options.signal && { signal: options.signal }),
    });
    // A few epochs on a small, skewed mix drag BatchNorm's moving statistics away from real
    // digits (without this, the candidate loses several points of MNIST test): re-estimate
    // them on clean samples before the candidate is scored.
    if (batchNorm === 'recalibrate') {
      const order = shuffledIndices(mnistTrain.count, createRng(options.seed + 1));
      const calibration = pick(mnistTrain, order.subarray(0, CALIBRATION_SAMPLES));
      recalibrateBatchNorm(model, calibration, { batchSize: 500 });
    }
    run.metrics.trainLoss = result.loss;
    run.metrics.trainSamplesPerSec =
      (mix.set.count * result.epochs * 1000) / Math.max(1, result.durationMs);
    return result;
  } finally {
    optimizer.dispose();
    pull?.dispose();
    restore();
  }
}
