import type * as tf from '@tensorflow/tfjs';
import type { Manifest } from 'sync-server/contract';
import type { Scores } from '../../gate';
import { publishVersion } from '../../registry';
import type { FitResult } from '../../train';
import type { Feedback } from './feedback';
import type { RetrainOptions } from './options';
import type { Run } from './run';

export interface PublishContext {
  options: RetrainOptions;
  manifest: Manifest;
  run: Run;
  feedback: Feedback;
  trained: FitResult;
  candidate: Scores;
}

/** Publishes the gated candidate as the new live version; resolves to its version name. */
export async function publishCandidate(
  model: tf.LayersModel,
  { options, manifest, run, feedback, trained, candidate }: PublishContext,
  reason: string,
): Promise<string> {
  const entry = await publishVersion({
    modelsDir: options.modelsDir,
    model,
    parent: manifest.current,
    trainedOn: { subsets: feedback.subsets, samples: feedback.train.length },
    metrics: {
      mnistTestAccuracy: candidate.mnist,
      holdoutAccuracy: candidate.holdout,
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
  });
  return entry.version;
}
