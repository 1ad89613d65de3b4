import type * as tf from '@tensorflow/tfjs';
import type { Manifest } from 'sync-server/contract';
import { initBackend } from '../../backend';
import { loadMnist } from '../../data/mnist';
import { samplesToSet, score, scoreParallel } from '../../evaluate';
import { decide, type Scores } from '../../gate';
import { log } from '../../log';
import { LockBusyError, readManifest, withRetrainLock } from 'sync-server/registry';
import { loadVersion, recordAttempt } from '../../registry';
import type { SampleSet } from '../../train';
import { gatherFeedback, type Feedback } from './feedback';
import { fineTune } from './fine-tune';
import type { RetrainOptions, RetrainResult } from './options';
import { publishCandidate } from './publish-candidate';
import { Run } from './run';

/**
 * One retrain attempt under the models lock: read the sealed feedback, measure the live model
 * (prequential on the newest subset, holdout, MNIST test), fine-tune it on all sealed subsets'
 * training part mixed with MNIST replay, measure the candidate, gate, then publish or record
 * the rejection. Every attempt that got the lock lands in the manifest history.
 */
export async function runRetrain(options: RetrainOptions): Promise<RetrainResult> {
  const run = new Run(options.now?.() ?? new Date());
  try {
    return await withRetrainLock(options.modelsDir, () => attempt(options, run), {
      purpose: 'retrain',
    });
  } catch (err) {
    if (err instanceof LockBusyError) return run.result('failed', err.message);
    throw err;
  }
}

async function attempt(options: RetrainOptions, run: Run): Promise<RetrainResult> {
  const manifest = await readManifest(options.modelsDir);
  if (!manifest) {
    return run.result('failed', `no live model in ${options.modelsDir}: run train-base first`);
  }
  try {
    return await trainAndGate(options, manifest, run);
  } catch (err) {
    const reason = options.signal?.aborted
      ? 'interrupted'
      : `error: ${err instanceof Error ? err.message : String(err)}`;
    log('error', `retrain failed: ${err instanceof Error ? (err.stack ?? err.message) : reason}`);
    // A failure to record must not hide the failure itself.
    await record(options, manifest, run, 'failed', reason).catch((recordErr: unknown) =>
      log('error', `could not record the failed attempt: ${String(recordErr)}`),
    );
    return run.result('failed', reason);
  }
}

async function trainAndGate(
  options: RetrainOptions,
  manifest: Manifest,
  run: Run,
): Promise<RetrainResult> {
  const { dataDir, threshold, force } = options;
  const feedback = await run.time('read', () =>
    gatherFeedback(dataDir, threshold, manifest, force),
  );
  if ('nothing' in feedback) {
    await record(options, manifest, run, 'rejected', feedback.nothing);
    return run.result('rejected', feedback.nothing);
  }
  run.subsets = feedback.subsets;
  run.backend = await run.time('backend', () => initBackend());
  const mnist = await run.time('mnist', () => options.mnist?.() ?? loadBoth());
  const model = await run.time('load', () => loadVersion(options.modelsDir, manifest.current));
  try {
    const live = await run.time('evaluate-live', () =>
      measureLive(model, feedback, mnist.test, manifest, options, run),
    );
    options.signal?.throwIfAborted();
    const trained = await run.time('train', () =>
      fineTune(model, feedback, mnist.train, options, run),
    );
    if (trained.aborted) throw new Error('interrupted');
    const candidate = await run.time('evaluate-candidate', () =>
      measure(model, feedback, mnist.test, run, 'candidate', options.evalWorkers),
    );
    const decision = decide(live, candidate, options.thresholds);
    log('info', `gate: ${decision.publish ? 'publish' : 'reject'}: ${decision.reason}`);
    if (!decision.publish) {
      await record(options, manifest, run, 'rejected', decision.reason, feedback);
      return run.result('rejected', decision.reason);
    }
    const ctx = { options, manifest, run, feedback, trained, candidate };
    const version = await run.time('publish', () => publishCandidate(model, ctx, decision.reason));
    return run.result('published', decision.reason, version);
  } finally {
    model.dispose();
  }
}

function loadBoth(): { train: SampleSet; test: SampleSet } {
  return { train: loadMnist('train'), test: loadMnist('test') };
}

// The live model's scores. Prequential: on the newest sealed subset, all of it, which is what
// users saw from this model (it has not trained on that subset).
async function measureLive(
  model: tf.LayersModel,
  feedback: Feedback,
  test: SampleSet,
  manifest: Manifest,
  options: RetrainOptions,
  run: Run,
): Promise<Scores> {
  const prequential = score(model, samplesToSet(feedback.newest.samples));
  run.metrics.prequentialAccuracy = prequential.accuracy;
  run.metrics.prequentialSamples = prequential.count;
  run.metrics.prequentialSubset = feedback.newest.index;
  const recorded = manifest.versions.find((v) => v.version === manifest.current)?.metrics;
  if (options.reevalLive || !recorded) {
    return measure(model, feedback, test, run, 'live', options.evalWorkers);
  }
  const holdout = score(model, samplesToSet(feedback.holdout)).accuracy;
  run.metrics.liveMnistTestAccuracy = recorded.mnistTestAccuracy;
  run.metrics.liveHoldoutAccuracy = holdout;
  return { mnist: recorded.mnistTestAccuracy, holdout };
}

async function measure(
  model: tf.LayersModel,
  feedback: Feedback,
  test: SampleSet,
  run: Run,
  who: 'live' | 'candidate',
  workers: number | undefined,
): Promise<Scores> {
  const options = workers === undefined ? {} : { workers };
  const mnist = (await scoreParallel(model, test, options)).accuracy ?? Number.NaN;
  const holdout = score(model, samplesToSet(feedback.holdout));
  run.metrics[`${who}MnistTestAccuracy`] = mnist;
  run.metrics[`${who}HoldoutAccuracy`] = holdout.accuracy;
  run.metrics.holdoutSamples = holdout.count;
  return { mnist, holdout: holdout.accuracy };
}

async function record(
  options: RetrainOptions,
  manifest: Manifest,
  run: Run,
  outcome: 'rejected' | 'failed',
  reason: string,
  feedback?: Feedback,
): Promise<void> {
  await recordAttempt({
    modelsDir: options.modelsDir,
    outcome,
    startedAt: run.startedAt,
    reason,
    parent: manifest.current,
    metrics: run.snapshot(),
    ...(feedback && {
      trainedOn: { subsets: feedback.subsets, samples: feedback.train.length },
    }),
  });
}
