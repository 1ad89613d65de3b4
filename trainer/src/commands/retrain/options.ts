import type { RetrainOutcome } from 'sync-server/contract';
import type { WriterStyle } from 'sync-server/writers';
import type { GateThresholds } from '../../gate';
import type { SampleSet, ScheduleKind } from '../../train';

/**
 * `recalibrate`: batch statistics while training, then moving statistics re-estimated on clean
 * MNIST; `frozen`: the live model's statistics used and kept throughout; `train`: batch
 * statistics, moving statistics left as training drags them.
 */
export const BATCH_NORM_MODES = ['recalibrate', 'frozen', 'train'] as const;
export type BatchNormMode = (typeof BATCH_NORM_MODES)[number];

/**
 * `full`: the default augmentation of `trainer/src/data/augment.ts` (rotation ±15°, shear,
 * scale, shift, stroke width), stronger than the one the base model trained with;
 * `mild`: small shifts, rotations and scales only, so an already slanted or bold digit is not
 * pushed further out; `none`: the answers as written.
 */
/**
 * Whose hands the writer digits are written in: each new answer's own (`answer`), or each
 * known writer's, fitted to its answers together, and each other answer's own (`writer`).
 */
export const HAND_MODES = ['answer', 'writer'] as const;
export type HandMode = (typeof HAND_MODES)[number];

/**
 * Which clients with enough new answers get a hand of their own (`writer` hands): those the
 * live model misread at least once (`misread`, the default), or every one (`all`): a writer it
 * reads at 88 % gives eight answers all read right about a third of the time. `all` stays off:
 * it learned about as much, and clients who write like MNIST then cost a hand each
 * (trainer/LEARNING.md, "Every known writer a hand").
 */
export const FIT_WRITERS = ['misread', 'all'] as const;
export type FitWriters = (typeof FIT_WRITERS)[number];

/**
 * How a hand's kept writer digits are chosen among its candidates (`focusOnMisread`):
 * - `mistakes`: the live model's mistakes first, whatever their class;
 * - `balanced`: every class an equal share, the live model's mistakes first within each.
 */
export const WRITER_CHOICES = ['mistakes', 'balanced'] as const;
export type WriterChoice = (typeof WRITER_CHOICES)[number];

/**
 * Which MNIST digits the writer replay (`writerReplay` per writer digit) draws:
 * - `random`: any, at random;
 * - `reading`: for each writer digit, one of the class the live model reads it as. A hand's
 *   5 that the model reads as 3 then trains beside an MNIST 3, so the candidate learns to
 *   tell them apart rather than to read MNIST's 3s as 5s.
 */
export const WRITER_REPLAYS = ['random', 'reading'] as const;
export type WriterReplayKind = (typeof WRITER_REPLAYS)[number];

export const AUGMENT_MODES = ['full', 'mild', 'none'] as const;
export type AugmentMode = (typeof AUGMENT_MODES)[number];

/** `all` layers; `top`: the last conv block and the classifier; `head`: the classifier only. */
export const TUNED_LAYERS = ['all', 'top', 'head'] as const;
export type TunedLayers = (typeof TUNED_LAYERS)[number];

/**
 * `adam`: a fresh Adam, whose first steps move every weight by about the learning rate whatever
 * its gradient; `sgd`: SGD with momentum 0.9, steps in proportion to the gradient.
 */
export const FINE_TUNE_OPTIMIZERS = ['adam', 'sgd'] as const;
export type FineTuneOptimizer = (typeof FINE_TUNE_OPTIMIZERS)[number];

export interface RetrainOptions {
  dataDir: string;
  modelsDir: string;
  /** Samples that seal a subset. */
  threshold: number;
  epochs: number;
  learningRate: number;
  batchSize: number;
  /** MNIST training samples mixed in. */
  replay: number;
  /** Older accepted answers sampled back in, class-balanced (default `RETRAIN_DEFAULTS`). */
  recallSample?: number;
  /**
   * Most answers new since the live model that train as new, whole subsets newest first; an
   * older, unpublished backlog joins the recall sample's pool (default `RETRAIN_DEFAULTS`).
   * The default keeps every new answer in through hundreds of rejected rounds of 10, and
   * stops where the new answers' copies would start to outgrow the rest of the mix (at the
   * defaults, copies fill a fixed share of the replay until there are more answers than that).
   */
  maxNew?: number;
  /** Most held-out answers the gate scores: stratified by class, newest first. */
  holdoutSample?: number;
  /** Share of the mix the new answers reach by repetition, each copy augmented anew. */
  feedbackShare: number;
  /** Most copies of each new answer in the mix. */
  maxRepeat: number;
  /** BatchNorm while fine-tuning (default `RETRAIN_DEFAULTS`), see `BatchNormMode`. */
  batchNorm?: BatchNormMode;
  /** L2-SP strength: pull toward the live model's weights (0: off). */
  l2sp?: number;
  /** Learning-rate schedule over the fine-tuning steps. */
  schedule?: ScheduleKind;
  /** How the feedback copies are augmented (MNIST replay never is), see `AUGMENT_MODES`. */
  augment?: AugmentMode;
  /** Which layers fine-tuning changes, see `TUNED_LAYERS`. */
  tune?: TunedLayers;
  /** Fine-tuning optimizer, see `FINE_TUNE_OPTIMIZERS`. */
  optimizer?: FineTuneOptimizer;
  /**
   * MNIST digits written in each new writer's estimated hand (0: off), see
   * `trainer/src/data/writer-style.ts`; at most this many per new subset in all, shared out
   * among the round's hands (`writerDigits` in writer-hands.ts).
   */
  writerDigits?: number;
  /**
   * MNIST replay digits added per writer digit, on top of `replay`: the digits in new hands
   * pull the weights further than a few answers do, and as much plain MNIST holds them back.
   */
  writerReplay?: number;
  /**
   * Each writer digit also bent by a smooth random warp of its own, of about this many pixels
   * (0: off): a hand varies beyond the geometry its fit finds (see `styledDigits`).
   */
  writerWarp?: number;
  /**
   * Likeliest warps kept per known writer's hand, the writer digits bent by them in turn (0,
   * the default: the fitted geometry alone), see `fitWarps` in trainer/src/data/writer-style.ts;
   * off by default, since it cost the milder writers errors (trainer/LEARNING.md).
   */
  handWarps?: number;
  /**
   * Candidates written per kept writer digit: the kept ones are chosen for the live model's
   * mistakes in that hand (1: no choice), see `focusOnMisread` in writer-choice.ts.
   */
  writerPool?: number;
  /** How the kept writer digits are chosen among the candidates, see `WRITER_CHOICES`. */
  writerChoice?: WriterChoice;
  /** Which MNIST digits the writer replay draws, see `WRITER_REPLAYS`. */
  writerReplayBy?: WriterReplayKind;
  /** Whose hands the writer digits are written in, see `HAND_MODES`. */
  hands?: HandMode;
  /** Which known writers get a hand, see `FIT_WRITERS`. */
  fitWriters?: FitWriters;
  /**
   * Clients' true hands, used instead of fitting them (the replay's `--true-hands`, which
   * measures what the fit costs); never set by the `retrain` command.
   */
  trueHands?: ReadonlyMap<string, WriterStyle>;
  /**
   * Share of the fine-tuned weights in the candidate, the rest the live model's (WiSE-FT
   * weight averaging); 1 keeps the fine-tuned weights as they are.
   */
  blend?: number;
  /** One client contributes at most the larger of this share of the feedback (0–1)... */
  maxClientShare: number;
  /** ...and this many answers, per retrain. */
  maxClientAnswers: number;
  /** The live model's probability for another digit that holds an answer back (0: off). */
  disputeConfidence: number;
  seed: number;
  thresholds: GateThresholds;
  /** Train even when no sealed subset is new. */
  force: boolean;
  /**
   * Measure the live model on MNIST test again instead of using the accuracy its manifest
   * entry recorded when it was published (same test set, same weights: saves one full pass).
   */
  reevalLive: boolean;
  /** Worker threads scoring MNIST test beside this one; default one per further core. */
  evalWorkers?: number;
  signal?: AbortSignal;
  /** MNIST train/test sets to use instead of the official files (tests). */
  mnist?: () => { train: SampleSet; test: SampleSet };
  /**
   * Receives the MNIST digits written in the new writers' hands before fine-tuning (the
   * replay's `--explain`, which looks for what taught the candidate its MNIST mistakes).
   */
  onWriterDigits?: (digits: SampleSet) => void;
  now?: () => Date;
}

/**
 * Defaults sized for a retrain that finishes within a minute after one subset of 10 on a
 * 2-core machine, and chosen with `npm run replay -w trainer` (synthetic writers' answers
 * replayed through the real retrain, judged on the same writers' other digits and on MNIST
 * test; trainer/LEARNING.md has the table and the reasons). In short: each new writer's hand is
 * estimated (`hands`: per known writer, and per answer for the rest) and MNIST digits written
 * in it join the mix (`writerDigits`, the live model's mistakes in that hand first:
 * `writerPool`, each bent by a warp of its own: `writerWarp`) with as many MNIST replay
 * digits again (`writerReplay`), BatchNorm keeps the live statistics, and the candidate is
 * the `blend` point between the live and the fine-tuned weights, chosen so that MNIST test
 * stays above the gate's floor (within about 0.1 point of the champion). Rerun the replay
 * after any change here or to the base model.
 */
export const RETRAIN_DEFAULTS = {
  epochs: 3,
  learningRate: 3e-4,
  batchSize: 32,
  replay: 4000,
  recallSample: 2000,
  maxNew: 5000,
  holdoutSample: 1000,
  feedbackShare: 0.3,
  maxRepeat: 10,
  batchNorm: 'frozen' as BatchNormMode,
  l2sp: 0,
  schedule: 'constant' as ScheduleKind,
  augment: 'full' as AugmentMode,
  tune: 'all' as TunedLayers,
  optimizer: 'adam' as FineTuneOptimizer,
  writerDigits: 2000,
  writerReplay: 1,
  writerWarp: 1.5,
  handWarps: 0,
  writerPool: 3,
  writerChoice: 'mistakes' as WriterChoice,
  writerReplayBy: 'random' as WriterReplayKind,
  hands: 'writer' as HandMode,
  fitWriters: 'misread' as FitWriters,
  blend: 0.6,
  maxClientShare: 0.1,
  maxClientAnswers: 50,
  disputeConfidence: 0.99,
  seed: 1,
} as const;

export interface RetrainResult {
  outcome: RetrainOutcome;
  version?: string;
  reason: string;
  /** Everything measured; also what the manifest history records. */
  metrics: Record<string, number | null>;
  /** Wall time per phase, ms. */
  phasesMs: Record<string, number>;
  subsets: number[];
  backend?: string;
}
