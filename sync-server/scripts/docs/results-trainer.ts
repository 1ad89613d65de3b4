// The trainer's results files: training speed, retrain wall time and scale, replay, poison.
import { z } from 'zod';
import { figureSchema, runBase } from './results-base';

export const trainingSpeedRunSchema = z.object({
  ...runBase,
  parameters: z.number().int(),
  multiplyAdds: z.number().int(),
  cases: z.array(
    z.object({
      backend: z.string(),
      batchSize: z.number().int(),
      augment: z.boolean(),
      samplesPerSec: figureSchema,
    }),
  ),
});

export const retrainWallTimeRunSchema = z.object({
  ...runBase,
  backend: z.string(),
  live: z.string(),
  sizes: z.array(
    z.object({
      samples: z.number().int(),
      /**
       * Present for the subset of 10 from two writers (`10-writers`): the digits written in
       * the hands fitted to them. Absent: answers without a client id.
       */
      writerDigits: z.number().int().optional(),
      outcome: z.string(),
      wallMs: figureSchema,
    }),
  ),
  /** Peak RSS of the retrain process over all sizes, MiB. */
  peakRssMiB: figureSchema,
});

/**
 * `npm run bench -w trainer` (retrain-scale): one retrain with 1,000 and 100,000 stored answers,
 * and with 100,000 of which only the first 1,000 trained the live model (a backlog).
 */
export const retrainScaleRunSchema = z.object({
  ...runBase,
  backend: z.string(),
  live: z.string(),
  sizes: z.array(
    z.object({
      /** Answers stored in new_data/ (the newest subset is new to the live model). */
      stored: z.number().int(),
      /** Answers the live model has not trained on, when more than the newest subset's. */
      unpublished: z.number().int().optional(),
      /** Training answers that trained as new, and those `--max-new` left to the recall pool. */
      newSamples: figureSchema.optional(),
      deferredSamples: figureSchema.optional(),
      outcome: z.string(),
      wallMs: figureSchema,
      readMs: figureSchema,
      peakRssMiB: figureSchema,
      trainSamples: figureSchema,
      holdoutSamples: figureSchema,
    }),
  ),
  /** Largest over smallest steady-state case, for the wall time and the peak RSS. */
  wallRatio: figureSchema,
  rssRatio: figureSchema,
});

/** `npm run bench -w sync-server -- startup`: spawn → healthy /healthz, by answers stored. */
/** A figure before and after. */
const pairSchema = z.object({ before: figureSchema, after: figureSchema });

export const replayRunSchema = z.object({
  ...runBase,
  /** The flags that differ from the retrain defaults, or `default`. */
  variant: z.string(),
  feedback: z.number().int(),
  live: z.string(),
  backend: z.string(),
  sets: z.array(
    pairSchema.extend({
      name: z.string(),
      digits: z.number().int(),
      fixed: figureSchema,
      broken: figureSchema,
      z: figureSchema,
      /** `--set writers`: each writer's judged digits read right, before and after. */
      perWriter: z.array(pairSchema).optional(),
    }),
  ),
  rounds: z.array(
    z.object({
      samples: z.number().int(),
      outcome: z.string(),
      reason: z.string(),
      wallMs: figureSchema,
      mnistTest: pairSchema,
      holdout: pairSchema,
      holdoutSamples: figureSchema,
    }),
  ),
});

/** `npm run poison -w trainer`: a flood of 1s labelled 7, honest answers, then a ratchet. */
export const poisonRunSchema = z.object({
  ...runBase,
  live: z.string(),
  backend: z.string(),
  /** MNIST test digits the gate and these figures measure (10,000: all of them). */
  testDigits: z.number().int(),
  /** The flags that differ from the script's defaults, or `default`. */
  variant: z.string(),
  /** The digit the flood relabels, and the live model's figures before it. */
  digit: z.number().int(),
  before: z.object({ accuracy: figureSchema, recall: figureSchema }),
  /** The champion's MNIST test accuracy as the first retrain established it. */
  champion: figureSchema,
  rounds: z.array(
    z.object({
      kind: z.enum(['poison', 'honest', 'ratchet']),
      answers: z.number().int(),
      outcome: z.string(),
      reason: z.string(),
      /** Answers the per-client caps held back in that retrain. */
      capped: figureSchema,
      wallMs: figureSchema,
      /** The live model after the round: MNIST test, and the recall of `digit`. */
      accuracy: figureSchema,
      recall: figureSchema,
    }),
  ),
});

export type TrainingSpeedRun = z.input<typeof trainingSpeedRunSchema>;
export type RetrainWallTimeRun = z.input<typeof retrainWallTimeRunSchema>;
export type ReplayRun = z.input<typeof replayRunSchema>;
export type RetrainScaleRun = z.input<typeof retrainScaleRunSchema>;
export type PoisonRun = z.input<typeof poisonRunSchema>;
