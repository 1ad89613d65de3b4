import type * as tf from '@tensorflow/tfjs';
import type { Champion, Manifest } from 'sync-server/contract';
import { promotes } from '../../gate';
import { publishVersion } from '../../registry';
import type { FitResult } from '../../train';
import type { Feedback } from './feedback';
import type { Measured } from './measure';
import type { RetrainOptions } from './options';
import type { Run } from './run';

export interface PublishContext {
  options: RetrainOptions;
  manifest: Manifest;
  run: Run;
  feedback: Feedback;
  trained: FitResult;
  candidate: Measured;
  /** The champion the candidate was gated against. */
  champion: Champion;
}

/**
 * Publishes the gated candidate as the new live version, and as the champion when it beats
 * the champion on MNIST test; resolves to its version name.
 */
export async function publishCandidate(
  model: tf.LayersModel,
  { options, manifest, run, feedback, trained, candidate, champion }: PublishContext,
  reason: string,
): Promise<string> {
  const entry = await publishVersion({
    modelsDir: options.modelsDir,
    model,
    parent: manifest.current,
    trainedOn: { subsets: feedback.subsets, samples: feedback.train.length },
    metrics: {
      mnistTestAccuracy: candidate.mnist,
      holdoutAccuracy: candidate.holdout.accuracy,
      holdoutSamples: feedback.holdout.length,
    },
    training: {
      kind: 'retrain',
      epochs: trained.epochs,
      seed: options.seed,
      backend: trained.backend,
      durationMs: trained.durationMs,
      batchSize: options.batchSize,
      learningRate: options.learningRate,
    },
    startedAt: run.startedAt,
    reason,
    attemptMetrics: run.snapshot(),
    thresholds: options.thresholds,
    ...(promotes(champion, candidate) && {
      champion: {
        mnistTestAccuracy: candidate.mnist,
        perDigitRecall: [...candidate.perDigitRecall],
      },
    }),
  });
  return entry.version;
}
