import { z } from 'zod';
import { BATCH_NORM_MODES, RETRAIN_DEFAULTS, type RetrainOptions } from './options';

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
  augment: z
    .enum(['feedback', 'none'])
    .default(RETRAIN_DEFAULTS.augmentFeedback ? 'feedback' : 'none')
    .describe('augment the copies of the new answers, or train on them as they are'),
};

type LearningFlags = z.output<z.ZodObject<typeof learningFlags>>;

export function learningOptions(
  flags: LearningFlags,
): Pick<
  RetrainOptions,
  'feedbackShare' | 'maxRepeat' | 'batchNorm' | 'l2sp' | 'schedule' | 'augmentFeedback'
> {
  return {
    feedbackShare: flags['feedback-share'],
    maxRepeat: flags['max-repeat'],
    batchNorm: flags['batch-norm'],
    l2sp: flags.l2sp,
    schedule: flags.schedule,
    augmentFeedback: flags.augment === 'feedback',
  };
}
