import * as tf from '@tensorflow/tfjs';
import type { FeedbackSample } from '../../data/subsets';
import { concatSets, pick, samplesToSet } from '../../evaluate';
import {
  createRng,
  fit,
  l2spPenalty,
  l2spVariables,
  predictClasses,
  recalibrateBatchNorm,
  shuffledIndices,
  type FitResult,
  type SampleSet,
} from '../../train';
import { log } from '../../log';
import type { Feedback } from './feedback';
import { buildMix, replayByReading, type Mix } from './mix';
import { freezeBelow } from './freeze';
import { describeHands, writerDigits } from './writer-hands';
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
 * Fine-tunes `model` in place at a low learning rate on the feedback's training part (new
 * answers and the recall sample) mixed with MNIST replay and MNIST digits written in each new
 * writer's estimated hand; only the feedback copies are augmented. Then blends the result
 * with the live weights (`blend`).
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
  const fitStarted = Date.now();
  const hands = fitHands(model, fresh, mnistTrain, options, feedback.newSubsets);
  for (const line of describeHands(hands.hands)) log('info', line);
  options.onWriterDigits?.(hands.set);
  const writerReplay = Math.round(
    (options.writerReplay ?? RETRAIN_DEFAULTS.writerReplay) * hands.set.count,
  );
  // By reading: one MNIST digit of the class the live model reads each writer digit as,
  // beside the hands' digits; at random: part of the replay.
  const byReading = (options.writerReplayBy ?? RETRAIN_DEFAULTS.writerReplayBy) === 'reading';
  const beside = byReading
    ? replayByReading(
        mnistTrain,
        predictClasses(model, hands.set, 500),
        writerReplay,
        options.seed + 29,
      )
    : null;
  const mix = buildMix(
    { fresh, recall },
    mnistTrain,
    { ...options, replay: options.replay + (beside ? 0 : writerReplay) },
    beside ? concatSets(hands.set, beside) : hands.set,
  );
  Object.assign(run.metrics, {
    feedbackTrainSamples: feedback.train.length,
    feedbackNewSamples: feedback.newTrain,
    recallSamples: recall.length,
    deferredNewSamples: feedback.deferred,
    feedbackRepeat: mix.repeat,
    replaySamples: mix.replayCount + (beside?.count ?? 0),
    writerHands: hands.hands.filter((h) => h.clientId !== undefined).length,
    oneAnswerHands: hands.hands.filter((h) => h.clientId === undefined).length,
    writerDigits: hands.set.count,
    // Fitting hands runs on this thread: a few seconds with many writers (see writer-hands.ts).
    writerFitMs: Date.now() - fitStarted,
  });
  if (feedback.deferred > 0) {
    log(
      'info',
      `${feedback.deferred} answers of older unpublished subsets join the recall pool: ` +
        `the newest ${fresh.length} train as new (--max-new)`,
    );
  }
  log(
    'info',
    `fine-tuning on ${fresh.length} new answers ×${mix.repeat} + ${recall.length} recalled ` +
      `+ ${run.metrics.replaySamples} MNIST replay + ${hands.set.count} MNIST digits in ${hands.hands.length} hands, ` +
      `${options.epochs} epochs, ${options.optimizer ?? RETRAIN_DEFAULTS.optimizer} lr ${options.learningRate}`,
  );
  const result = await trainAndBlend(model, mix, mnistTrain, options);
  run.metrics.trainLoss = result.loss;
  run.metrics.trainSamplesPerSec =
    (mix.set.count * result.epochs * 1000) / Math.max(1, result.durationMs);
  return result;
}

/** Each new writer's hand fitted to its answers, and MNIST digits written in it. */
function fitHands(
  model: tf.LayersModel,
  fresh: FeedbackSample[],
  mnistTrain: SampleSet,
  options: RetrainOptions,
  newSubsets: number,
) {
  const perWriter = options.writerDigits ?? RETRAIN_DEFAULTS.writerDigits;
  return writerDigits(fresh, mnistTrain, perWriter, options.seed, misreadBy(model, fresh), {
    // One hand's digits per new subset: the dearest subset of 10 (two writers' hands) then
    // costs what one writer's does, and stays within the minute (bench/retrain-wall-time.ts).
    budget: perWriter * Math.max(1, newSubsets),
    hands: options.hands ?? RETRAIN_DEFAULTS.hands,
    fitWriters: options.fitWriters ?? RETRAIN_DEFAULTS.fitWriters,
    ...(options.trueHands && { trueHands: options.trueHands }),
    warp: options.writerWarp ?? RETRAIN_DEFAULTS.writerWarp,
    handWarps: options.handWarps ?? RETRAIN_DEFAULTS.handWarps,
    focus: {
      classify: (set) => predictClasses(model, set, 500),
      pool: options.writerPool ?? RETRAIN_DEFAULTS.writerPool,
      choice: options.writerChoice ?? RETRAIN_DEFAULTS.writerChoice,
    },
  });
}

/**
 * Trains `model` in place on the mix, then blends it with the live weights and, by default,
 * re-estimates BatchNorm's statistics; frees what it made, whatever happens.
 */
async function trainAndBlend(
  model: tf.LayersModel,
  mix: Mix,
  mnistTrain: SampleSet,
  options: RetrainOptions,
): Promise<FitResult> {
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
  const blend = options.blend ?? RETRAIN_DEFAULTS.blend;
  const live = blend < 1 ? model.getWeights().map((w) => w.clone()) : null;
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
    if (live && !result.aborted) blendWeights(model, live, blend);
    // A few epochs on a small, skewed mix drag BatchNorm's moving statistics away from real
    // digits (without this, the candidate loses several points of MNIST test): re-estimate
    // them on clean samples before the candidate is scored.
    if (batchNorm === 'recalibrate') {
      const order = shuffledIndices(mnistTrain.count, createRng(options.seed + 1));
      const calibration = pick(mnistTrain, order.subarray(0, CALIBRATION_SAMPLES));
      recalibrateBatchNorm(model, calibration, { batchSize: 500 });
    }
    return result;
  } finally {
    optimizer.dispose();
    pull?.dispose();
    live?.forEach((w) => w.dispose());
    restore();
  }
}

/** Which of `answers` the (still live) `model` reads as another digit than their label. */
function misreadBy(
  model: tf.LayersModel,
  answers: readonly FeedbackSample[],
): (answer: FeedbackSample) => boolean {
  if (answers.length === 0) return () => false;
  const predicted = predictClasses(model, samplesToSet(answers), 500);
  const wrong = new Set(answers.filter((a, i) => predicted[i] !== a.label));
  return (answer) => wrong.has(answer);
}

/**
 * Moves `model` to `share` of the way from `live` to its fine-tuned weights (WiSE-FT weight
 * averaging). Along that straight line the new hands are learned faster than MNIST is lost,
 * so a point short of the fine-tuned end keeps most of the one and little of the other (the
 * `--blend` rows of the replay table in trainer/LEARNING.md).
 */
export function blendWeights(model: tf.LayersModel, live: tf.Tensor[], share: number): void {
  const tuned = model.getWeights();
  const blended = tuned.map((w, i) => tf.tidy(() => live[i]!.mul(1 - share).add(w.mul(share))));
  model.setWeights(blended);
  blended.forEach((w) => w.dispose());
}
