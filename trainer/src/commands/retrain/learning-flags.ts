import { z } from 'zod';
import {
  AUGMENT_MODES,
  BATCH_NORM_MODES,
  FINE_TUNE_OPTIMIZERS,
  FIT_WRITERS,
  HAND_MODES,
  RETRAIN_DEFAULTS,
  TUNED_LAYERS,
  WRITER_CHOICES,
  WRITER_REPLAYS,
  type RetrainOptions,
} from './options';

/**
 * How hard a retrain learns from the new answers: shared by `retrain` and the replay script,
 * so a setting measured there is typed the same way here.
 */
export const learningFlags = {
  'feedback-share': z.coerce
    .number()
    .min(0)
    .max(0.95)
    .default(RETRAIN_DEFAULTS.feedbackShare)
    .describe('share of the mix the new answers reach by repetition, each copy augmented anew'),
  'max-repeat': z.coerce
    .number()
    .int()
    .min(1)
    .default(RETRAIN_DEFAULTS.maxRepeat)
    .describe('most copies of each new answer'),
  'batch-norm': z
    .enum(BATCH_NORM_MODES)
    .default(RETRAIN_DEFAULTS.batchNorm)
    .describe(
      'BatchNorm while fine-tuning: recalibrate on clean MNIST after, frozen at the live stats, or train',
    ),
  l2sp: z.coerce
    .number()
    .min(0)
    .default(RETRAIN_DEFAULTS.l2sp)
    .describe("L2-SP strength pulling weights toward the live model's (0: off)"),
  schedule: z
    .enum(['constant', 'cosine'])
    .default(RETRAIN_DEFAULTS.schedule)
    .describe('learning rate: constant, or warm-up then cosine decay'),
  optimizer: z
    .enum(FINE_TUNE_OPTIMIZERS)
    .default(RETRAIN_DEFAULTS.optimizer)
    .describe('fine-tuning optimizer: Adam, or SGD with momentum 0.9 (give it a larger --lr)'),
  augment: z
    .enum(AUGMENT_MODES)
    .default(RETRAIN_DEFAULTS.augment)
    .describe("the new answers' copies: the full augmentation (±15°), mild, or as written"),
  'writer-digits': z.coerce
    .number()
    .int()
    .min(0)
    .max(5000)
    .default(RETRAIN_DEFAULTS.writerDigits)
    .describe("MNIST digits written in each new writer's estimated hand (0: off)"),
  'writer-replay': z.coerce
    .number()
    .min(0)
    .max(10)
    .default(RETRAIN_DEFAULTS.writerReplay)
    .describe('MNIST replay digits added per writer digit, on top of --replay'),
  'writer-warp': z.coerce
    .number()
    .min(0)
    .max(4)
    .default(RETRAIN_DEFAULTS.writerWarp)
    .describe(
      'each writer digit also bent by a smooth random warp of its own, about this many pixels (0: off)',
    ),
  'hand-warps': z.coerce
    .number()
    .int()
    .min(0)
    .max(20)
    .default(RETRAIN_DEFAULTS.handWarps)
    .describe(
      "likeliest warps kept per known writer's hand, its digits bent by them in turn (0: the geometry alone)",
    ),
  hands: z
    .enum(HAND_MODES)
    .default(RETRAIN_DEFAULTS.hands)
    .describe(
      "writer digits in each new answer's own hand, or in each known writer's fitted to all its answers",
    ),
  'fit-writers': z
    .enum(FIT_WRITERS)
    .default(RETRAIN_DEFAULTS.fitWriters)
    .describe(
      'which clients with 4 or more new answers get a hand: misread (one answer misread) or all',
    ),
  'writer-pool': z.coerce
    .number()
    .int()
    .min(1)
    .max(10)
    .default(RETRAIN_DEFAULTS.writerPool)
    .describe(
      "writer digits written per one kept; the kept are the live model's mistakes first (1: no choice)",
    ),
  'writer-choice': z
    .enum(WRITER_CHOICES)
    .default(RETRAIN_DEFAULTS.writerChoice)
    .describe(
      "which kept writer digits: the live model's mistakes first (mistakes), or first within each class, every class an equal share (balanced)",
    ),
  'writer-replay-by': z
    .enum(WRITER_REPLAYS)
    .default(RETRAIN_DEFAULTS.writerReplayBy)
    .describe(
      'MNIST digits of the writer replay: any (random), or per writer digit one of the class the live model reads it as (reading)',
    ),
  blend: z.coerce
    .number()
    .gt(0)
    .max(1)
    .default(RETRAIN_DEFAULTS.blend)
    .describe("share of the fine-tuned weights in the candidate, the rest the live model's"),
  tune: z
    .enum(TUNED_LAYERS)
    .default(RETRAIN_DEFAULTS.tune)
    .describe('layers fine-tuned: all, the last conv block and classifier, or the classifier'),
};

type LearningFlags = z.output<z.ZodObject<typeof learningFlags>>;

export function learningOptions(
  flags: LearningFlags,
): Pick<
  RetrainOptions,
  | 'feedbackShare'
  | 'maxRepeat'
  | 'batchNorm'
  | 'l2sp'
  | 'schedule'
  | 'augment'
  | 'tune'
  | 'optimizer'
  | 'writerDigits'
  | 'writerPool'
  | 'writerChoice'
  | 'writerReplayBy'
  | 'writerReplay'
  | 'writerWarp'
  | 'handWarps'
  | 'hands'
  | 'fitWriters'
  | 'blend'
> {
  return {
    feedbackShare: flags['feedback-share'],
    maxRepeat: flags['max-repeat'],
    batchNorm: flags['batch-norm'],
    l2sp: flags.l2sp,
    schedule: flags.schedule,
    augment: flags.augment,
    tune: flags.tune,
    optimizer: flags.optimizer,
    writerDigits: flags['writer-digits'],
    writerPool: flags['writer-pool'],
    writerChoice: flags['writer-choice'],
    writerReplayBy: flags['writer-replay-by'],
    writerReplay: flags['writer-replay'],
    writerWarp: flags['writer-warp'],
    handWarps: flags['hand-warps'],
    hands: flags.hands,
    fitWriters: flags['fit-writers'],
    blend: flags.blend,
  };
}
