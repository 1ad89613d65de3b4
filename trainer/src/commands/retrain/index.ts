import { writeFile } from 'node:fs/promises';
import { resolveAgainst, type RetrainResultLine } from 'sync-server/contract';
import { z } from 'zod';
import { loadConfig } from '../../config';
import { DEFAULT_THRESHOLDS } from '../../gate';
import { log } from '../../log';
import { defineCommand } from '../command';
import { DATA_DIR_FLAG, MODELS_DIR_FLAG } from '../common-flags';
import { learningFlags, learningOptions } from './learning-flags';
import { RETRAIN_DEFAULTS, type RetrainOptions, type RetrainResult } from './options';
import { runRetrain } from './pipeline';

export { runRetrain } from './pipeline';
export {
  BATCH_NORM_MODES,
  RETRAIN_DEFAULTS,
  type BatchNormMode,
  type RetrainOptions,
  type RetrainResult,
} from './options';

const count = (min: number) => z.coerce.number().int().min(min);
const drop = z.coerce.number().min(0).max(100);
const flagsSchema = z.object({
  'data-dir': DATA_DIR_FLAG,
  'models-dir': MODELS_DIR_FLAG,
  report: z
    .string()
    .trim()
    .min(1)
    .optional()
    .describe('also write the full result, settings and timings to this JSON file'),
  epochs: count(1).default(RETRAIN_DEFAULTS.epochs).describe('fine-tuning passes over the mix'),
  lr: z.coerce
    .number()
    .positive()
    .max(1)
    .default(RETRAIN_DEFAULTS.learningRate)
    .describe('constant fine-tuning learning rate'),
  'batch-size': count(1).default(RETRAIN_DEFAULTS.batchSize).describe('samples per step'),
  ...learningFlags,
  replay: count(0)
    .default(RETRAIN_DEFAULTS.replay)
    .describe('MNIST training samples mixed in, so the model keeps what it knew'),
  'max-client-share': z.coerce
    .number()
    .min(0)
    .max(1)
    .default(RETRAIN_DEFAULTS.maxClientShare)
    .describe('one client trains on at most this share of the feedback (0.1 = 10 %)...'),
  'max-client-answers': count(0)
    .default(RETRAIN_DEFAULTS.maxClientAnswers)
    .describe('...or this many answers, whichever is larger'),
  'dispute-confidence': z.coerce
    .number()
    .min(0)
    .max(1)
    .default(RETRAIN_DEFAULTS.disputeConfidence)
    .describe(
      'answers the live model gives this probability for another digit wait for review (0: off)',
    ),
  'recall-sample': count(0)
    .default(RETRAIN_DEFAULTS.recallSample)
    .describe('older accepted answers sampled back in, class-balanced, seeded'),
  'max-new': count(1)
    .default(RETRAIN_DEFAULTS.maxNew)
    .describe(
      'most answers that train as new, newest subsets first; an older, unpublished backlog joins the recall pool',
    ),
  'holdout-sample': count(0)
    .default(RETRAIN_DEFAULTS.holdoutSample)
    .describe('most held-out answers scored by the gate: stratified by class, newest first'),
  seed: z.coerce
    .number()
    .int()
    .default(RETRAIN_DEFAULTS.seed)
    .describe(
      'seeds the replay sample, shuffling, augmentation and the answers a capped client keeps',
    ),
  'max-mnist-drop': drop
    .default(DEFAULT_THRESHOLDS.maxMnistDrop)
    .describe("gate: most MNIST test accuracy points below the champion's"),
  // Gate thresholds: points below the champion on MNIST test overall and per digit, and the
  // significance level of the paired holdout test (0 = never reject on the holdout).
  'max-digit-drop': drop
    .default(DEFAULT_THRESHOLDS.maxDigitDrop)
    .describe("gate: most points any digit's MNIST test recall may fall below the champion's"),
  'holdout-alpha': z.coerce
    .number()
    .min(0)
    .max(1)
    .default(DEFAULT_THRESHOLDS.holdoutAlpha)
    .describe('gate: reject when the paired holdout test gives p at or below this (0: never)'),
  'eval-workers': count(0)
    .max(16)
    .optional()
    .describe('worker threads scoring MNIST test (default: one per further core)'),
  force: z.boolean().default(false).describe('train even when no sealed subset is new'),
  'reeval-live': z
    .boolean()
    .default(false)
    .describe('score the live model on MNIST test again instead of reading its manifest entry'),
});

export const command = defineCommand({
  name: 'retrain',
  summary:
    'One gated fine-tuning attempt on the sealed feedback. Progress goes to stderr; the LAST ' +
    'stdout line is {"outcome","version"?,"reason","metrics"}. Exit 0 when published or ' +
    'rejected, 1 when failed.',
  flags: flagsSchema,
  run: retrain,
});

async function retrain(flags: z.output<typeof flagsSchema>): Promise<number> {
  const config = loadConfig(flags);
  const controller = new AbortController();
  const stop = onSignals(controller);
  const options: RetrainOptions = {
    dataDir: config.dataDir,
    modelsDir: config.modelsDir,
    threshold: config.threshold,
    epochs: flags.epochs,
    learningRate: flags.lr,
    batchSize: flags['batch-size'],
    replay: flags.replay,
    recallSample: flags['recall-sample'],
    maxNew: flags['max-new'],
    holdoutSample: flags['holdout-sample'],
    ...learningOptions(flags),
    maxClientShare: flags['max-client-share'],
    maxClientAnswers: flags['max-client-answers'],
    disputeConfidence: flags['dispute-confidence'],
    seed: flags.seed,
    thresholds: {
      maxMnistDrop: flags['max-mnist-drop'],
      maxDigitDrop: flags['max-digit-drop'],
      holdoutAlpha: flags['holdout-alpha'],
    },
    force: flags.force,
    reevalLive: flags['reeval-live'],
    signal: controller.signal,
  };
  if (flags['eval-workers'] !== undefined) options.evalWorkers = flags['eval-workers'];
  let result: RetrainResult;
  try {
    result = await runRetrain(options);
  } catch (err) {
    result = { outcome: 'failed', reason: String(err), metrics: {}, phasesMs: {}, subsets: [] };
  } finally {
    stop();
  }
  log(
    'info',
    `retrain ${result.outcome}: ${result.reason} (phases ms ${JSON.stringify(result.phasesMs)})`,
  );
  if (flags.report)
    await writeReport(resolveAgainst(config.baseDir, flags.report), result, options);
  const line: RetrainResultLine = {
    outcome: result.outcome,
    version: result.version,
    reason: result.reason,
    metrics: result.metrics,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
  return result.outcome === 'failed' ? 1 : 0;
}

// First SIGINT/SIGTERM stops training between batches and the attempt ends `failed`
// (recorded, lock released); a second one exits at once (the lock is stale-safe by pid).
function onSignals(controller: AbortController): () => void {
  const handler = () => {
    if (controller.signal.aborted) process.exit(130);
    log('warn', 'stopping: the attempt will end as failed');
    controller.abort();
  };
  process.on('SIGINT', handler).on('SIGTERM', handler);
  return () => process.off('SIGINT', handler).off('SIGTERM', handler);
}

async function writeReport(
  path: string,
  result: RetrainResult,
  options: RetrainOptions,
): Promise<void> {
  const { signal: _signal, mnist: _mnist, now: _now, ...settings } = options;
  const report = {
    ...result,
    settings,
    finishedAt: new Date().toISOString(),
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  await writeFile(path, `${JSON.stringify(report, null, 2)}\n`);
}
