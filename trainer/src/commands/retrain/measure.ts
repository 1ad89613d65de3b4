import type * as tf from '@tensorflow/tfjs';
import type { Champion, Manifest } from 'sync-server/contract';
import { samplesToSet, score, scoreParallel, scoreSamples, type SampleScore } from '../../evaluate';
import { championOf, type CandidateScores } from '../../gate';
import { log } from '../../log';
import { readManifest, withRetrainLock, writeManifest } from 'sync-server/registry';
import type { SampleSet } from '../../train';
import type { Feedback } from './feedback';
import type { RetrainOptions } from './options';
import type { Run } from './run';

/** A model's scores: MNIST test with per-digit recall, and the holdout sample by sample. */
export interface Measured extends CandidateScores {
  holdout: SampleScore;
}

/** The live model's holdout (to pair with the candidate's) and the champion to gate against. */
export interface LiveMeasure {
  holdout: SampleScore;
  champion: Champion;
}

/**
 * Scores the live model before it is fine-tuned. Prequential: on the newest sealed subset, all
 * of it, which is what users saw from this model (it has not trained on that subset). MNIST
 * test is measured only when asked (`reevalLive`) or when the manifest has no champion yet:
 * then the live model's measured scores become the champion, written to the manifest at once
 * so that the floor holds from this attempt on, whatever its outcome.
 */
export async function measureLive(
  model: tf.LayersModel,
  feedback: Feedback,
  test: SampleSet,
  manifest: Manifest,
  options: RetrainOptions,
  run: Run,
): Promise<LiveMeasure> {
  const prequential = score(model, samplesToSet(feedback.newest.samples));
  run.metrics.prequentialAccuracy = prequential.accuracy;
  run.metrics.prequentialSamples = prequential.count;
  run.metrics.prequentialSubset = feedback.newest.index;
  const recorded = manifest.versions.find((v) => v.version === manifest.current)?.metrics;
  if (!options.reevalLive && recorded && manifest.champion) {
    const holdout = scoreSamples(model, samplesToSet(feedback.holdout));
    run.metrics.liveMnistTestAccuracy = recorded.mnistTestAccuracy;
    run.metrics.liveHoldoutAccuracy = holdout.accuracy;
    return { holdout, champion: manifest.champion };
  }
  const live = await measure(model, feedback, test, run, 'live', options.evalWorkers);
  const champion = manifest.champion ?? (await establish(options.modelsDir, manifest, live, run));
  return { holdout: live.holdout, champion };
}

/** Scores the fine-tuned candidate on MNIST test and the holdout. */
export function measureCandidate(
  model: tf.LayersModel,
  feedback: Feedback,
  test: SampleSet,
  run: Run,
  workers: number | undefined,
): Promise<Measured> {
  return measure(model, feedback, test, run, 'candidate', workers);
}

async function measure(
  model: tf.LayersModel,
  feedback: Feedback,
  test: SampleSet,
  run: Run,
  who: 'live' | 'candidate',
  workers: number | undefined,
): Promise<Measured> {
  const mnist = await scoreParallel(model, test, workers === undefined ? {} : { workers });
  const holdout = scoreSamples(model, samplesToSet(feedback.holdout));
  run.metrics[`${who}MnistTestAccuracy`] = mnist.accuracy;
  run.metrics[`${who}HoldoutAccuracy`] = holdout.accuracy;
  run.metrics.holdoutSamples = holdout.count;
  if (who === 'candidate') {
    mnist.perDigitRecall.forEach((r, d) => (run.metrics[`candidateDigitRecall${d}`] = r));
  }
  return {
    mnist: mnist.accuracy ?? Number.NaN,
    perDigitRecall: mnist.perDigitRecall,
    holdout,
  };
}

// The first champion: the live model as measured now. The lock is held (re-entrant).
async function establish(
  modelsDir: string,
  manifest: Manifest,
  live: Measured,
  run: Run,
): Promise<Champion> {
  if (!Number.isFinite(live.mnist)) throw new Error('the live model could not be measured');
  const champion = championOf(manifest.current, live);
  await withRetrainLock(modelsDir, async () => {
    const latest = (await readManifest(modelsDir)) ?? manifest;
    await writeManifest(modelsDir, { ...latest, champion });
  });
  run.metrics.championEstablished = 1;
  log('info', `champion established: ${champion.version} at ${champion.mnistTestAccuracy}`);
  return champion;
}
