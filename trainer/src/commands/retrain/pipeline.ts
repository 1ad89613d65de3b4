import type { Manifest } from 'sync-server/contract';
import { initBackend } from '../../backend';
import { loadMnist } from '../../data/mnist';
import { decide, pairHits } from '../../gate';
import { log } from '../../log';
import { LockBusyError, readManifest, withRetrainLock } from 'sync-server/registry';
import { loadVersion, recordAttempt } from '../../registry';
import type { SampleSet } from '../../train';
import { holdBackDisputed } from './disputed';
import { recordHeldBack } from './held-back';
import { gatherFeedback, type Feedback, type GatherOptions } from './feedback';
import { fineTune } from './fine-tune';
import { measureCandidate, measureLive, type LiveMeasure, type Measured } from './measure';
import { RETRAIN_DEFAULTS, type RetrainOptions, type RetrainResult } from './options';
import { publishCandidate } from './publish-candidate';
import { Run } from './run';

/**
 * One retrain attempt under the models lock: read the sealed feedback, measure the live model
 * (prequential on the newest subset, holdout; MNIST test when it must become the champion),
 * fine-tune it on the answers new since the live model, a class-balanced recall sample of
 * older ones and MNIST replay, measure the
 * candidate, gate it against the champion, then publish or record the rejection. Every
 * attempt that got the lock lands in the manifest history, with the gate's thresholds.
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
  const gathered = await run.time('read', () => gatherFeedback(manifest, gatherOptions(options)));
  if ('nothing' in gathered) {
    await record(options, manifest, run, 'rejected', gathered.nothing);
    return run.result('rejected', gathered.nothing);
  }
  Object.assign(run.metrics, gathered.screened);
  run.subsets = gathered.subsets;
  run.backend = await run.time('backend', () => initBackend());
  const mnist = await run.time('mnist', () => options.mnist?.() ?? loadBoth());
  const model = await run.time('load', () => loadVersion(options.modelsDir, manifest.current));
  try {
    const held = holdBackDisputed(model, gathered, options.disputeConfidence);
    run.metrics.feedbackDisputed = held.disputed;
    run.metrics.feedbackDistrustedClients = held.distrustedClients;
    await recordHeldBack(options.dataDir, held.heldBack, manifest.current, run.startedAt);
    const feedback = held.feedback;
    if (feedback.train.length === 0) {
      const why =
        'no sealed sample may train: the live model disputes the answers of every one not held out';
      await record(options, manifest, run, 'rejected', why, feedback);
      return run.result('rejected', why);
    }
    const live = await run.time('evaluate-live', () =>
      measureLive(model, feedback, mnist.test, manifest, options, run),
    );
    options.signal?.throwIfAborted();
    const trained = await run.time('train', () =>
      fineTune(model, feedback, mnist.train, options, run),
    );
    if (trained.aborted) throw new Error('interrupted');
    const candidate = await run.time('evaluate-candidate', () =>
      measureCandidate(model, feedback, mnist.test, run, options.evalWorkers),
    );
    const decision = judge(live, candidate, options, run);
    if (!decision.publish) {
      await record(options, manifest, run, 'rejected', decision.reason, feedback);
      return run.result('rejected', decision.reason);
    }
    const champion = live.champion;
    const ctx = { options, manifest, run, feedback, trained, candidate, champion };
    const version = await run.time('publish', () => publishCandidate(model, ctx, decision.reason));
    return run.result('published', decision.reason, version);
  } finally {
    model.dispose();
  }
}

function gatherOptions(options: RetrainOptions): GatherOptions {
  const { dataDir, threshold, force, seed } = options;
  const recallSample = options.recallSample ?? RETRAIN_DEFAULTS.recallSample;
  const holdoutSample = options.holdoutSample ?? RETRAIN_DEFAULTS.holdoutSample;
  const maxNew = options.maxNew ?? RETRAIN_DEFAULTS.maxNew;
  const caps = { maxShare: options.maxClientShare, maxAnswers: options.maxClientAnswers, seed };
  return { dataDir, threshold, force, seed, recallSample, maxNew, holdoutSample, caps };
}

function loadBoth(): { train: SampleSet; test: SampleSet } {
  return { train: loadMnist('train'), test: loadMnist('test') };
}

// Gates the candidate against the champion, pairing its holdout with the live model's, and
// puts what the gate computed into the attempt's metrics.
function judge(live: LiveMeasure, candidate: Measured, options: RetrainOptions, run: Run) {
  const holdout = live.holdout.count ? pairHits(live.holdout.hits, candidate.holdout.hits) : null;
  const decision = decide({ champion: live.champion, candidate, holdout }, options.thresholds);
  Object.assign(run.metrics, {
    championMnistTestAccuracy: live.champion.mnistTestAccuracy,
    mnistFloor: decision.measures.mnistFloor,
    worstDigit: decision.measures.worstDigit,
    worstDigitDrop: decision.measures.worstDigitDrop,
    holdoutFixed: holdout?.fixed ?? null,
    holdoutBroken: holdout?.broken ?? null,
    holdoutP: decision.measures.holdoutP,
  });
  log('info', `gate: ${decision.publish ? 'publish' : 'reject'}: ${decision.reason}`);
  return decision;
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
    thresholds: options.thresholds,
    ...(feedback && {
      trainedOn: { subsets: feedback.subsets, samples: feedback.train.length },
    }),
  });
}
