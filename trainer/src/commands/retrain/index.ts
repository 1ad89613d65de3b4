import { writeFile } from 'node:fs/promises';
import type { RetrainResultLine } from 'sync-server/contract';
import { z } from 'zod';
import { loadConfig, resolveAgainst } from '../../config';
import { DEFAULT_THRESHOLDS } from '../../gate';
import { log } from '../../log';
import { parseFlags } from '../args';
import { RETRAIN_DEFAULTS, type RetrainOptions, type RetrainResult } from './options';
import { runRetrain } from './pipeline';

export { runRetrain } from './pipeline';
export { RETRAIN_DEFAULTS, type RetrainOptions, type RetrainResult } from './options';

const FLAGS = {
  'data-dir': { type: 'string' },
  'models-dir': { type: 'string' },
  report: { type: 'string' },
  epochs: { type: 'string' },
  lr: { type: 'string' },
  'batch-size': { type: 'string' },
  replay: { type: 'string' },
  seed: { type: 'string' },
  // Gate thresholds (issue 10): all recorded in each history entry.
  'max-mnist-drop': { type: 'string' },
  'max-digit-drop': { type: 'string' },
  'holdout-alpha': { type: 'string' },
  'eval-workers': { type: 'string' },
  force: { type: 'boolean' },
  'reeval-live': { type: 'boolean' },
} as const;

const count = (min: number) => z.coerce.number().int().min(min);
const flagsSchema = z.object({
  'data-dir': z.string().optional(),
  'models-dir': z.string().optional(),
  report: z.string().optional(),
  epochs: count(1).default(RETRAIN_DEFAULTS.epochs),
  lr: z.coerce.number().positive().max(1).default(RETRAIN_DEFAULTS.learningRate),
  'batch-size': count(1).default(RETRAIN_DEFAULTS.batchSize),
  replay: count(0).default(RETRAIN_DEFAULTS.replay),
  seed: z.coerce.number().int().default(RETRAIN_DEFAULTS.seed),
  // Gate thresholds: points below the champion on MNIST test overall and per digit, and the
  // significance level of the paired holdout test (0 = never reject on the holdout).
  'max-mnist-drop': z.coerce.number().min(0).max(100).default(DEFAULT_THRESHOLDS.maxMnistDrop),
  'max-digit-drop': z.coerce.number().min(0).max(100).default(DEFAULT_THRESHOLDS.maxDigitDrop),
  'holdout-alpha': z.coerce.number().min(0).max(1).default(DEFAULT_THRESHOLDS.holdoutAlpha),
  'eval-workers': count(0).max(16).optional(),
  force: z.boolean().default(false),
  'reeval-live': z.boolean().default(false),
});

/**
 * `retrain`: one gated fine-tuning attempt. Progress goes to stderr; the LAST stdout line is
 * `{"outcome","version"?,"reason","metrics"}`. Exit 0 when published or rejected, 1 when failed.
 */
export async function run(args: string[]): Promise<number> {
  const config = loadConfig();
  const { flags } = parseFlags(args, FLAGS, flagsSchema);
  const dir = (flag: string | undefined, fallback: string) =>
    flag ? resolveAgainst(config.baseDir, flag) : fallback;
  const controller = new AbortController();
  const stop = onSignals(controller);
  const options: RetrainOptions = {
    dataDir: dir(flags['data-dir'], config.dataDir),
    modelsDir: dir(flags['models-dir'], config.modelsDir),
    threshold: config.threshold,
    epochs: flags.epochs,
    learningRate: flags.lr,
    batchSize: flags['batch-size'],
    replay: flags.replay,
    feedbackShare: RETRAIN_DEFAULTS.feedbackShare,
    maxRepeat: RETRAIN_DEFAULTS.maxRepeat,
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
