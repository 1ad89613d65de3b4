import type { FeedbackSample } from '../../data/subsets';
import { shuffledByClass } from '../../data/writer-style';
import { concatSets, pick, samplesToSet } from '../../evaluate';
import { createRng, shuffledIndices, type SampleSet } from '../../train';

export interface MixOptions {
  /** MNIST training samples replayed so the model keeps what it knew. */
  replay: number;
  /** Share of the mix the new answers should reach by repetition (augmented anew each time). */
  feedbackShare: number;
  /** Most copies of each new answer. */
  maxRepeat: number;
  seed: number;
}

export interface Mix {
  /**
   * Replay samples first, then the digits written in the new writers' hands, then the new
   * answers' copies, then the recall sample.
   */
  set: SampleSet;
  /** Index of the first feedback sample: augmentation applies from here on. */
  feedbackStart: number;
  /** MNIST replay digits (the first of the set). */
  replayCount: number;
  repeat: number;
}

/**
 * The fine-tuning set: a seeded random sample of MNIST training digits, the answers new since
 * the live model repeated so a few user digits are not drowned by the replay, and the recall
 * sample of older answers once (it is already sized and balanced). Repeats are not identical
 * in training because feedback is augmented on the fly each epoch.
 */
export function buildMix(
  feedback: { fresh: readonly FeedbackSample[]; recall: readonly FeedbackSample[] },
  mnistTrain: SampleSet,
  options: MixOptions,
  /** MNIST digits rewritten in the new writers' hands: not augmented, like the replay. */
  styled: SampleSet = { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 },
): Mix {
  const replayCount = Math.min(options.replay, mnistTrain.count);
  const order = shuffledIndices(mnistTrain.count, createRng(options.seed));
  const replay = pick(mnistTrain, order.subarray(0, replayCount));
  const wanted = (options.feedbackShare / (1 - options.feedbackShare)) * replayCount;
  const repeat = Math.max(
    1,
    Math.min(options.maxRepeat, Math.ceil(wanted / Math.max(1, feedback.fresh.length))),
  );
  const once = samplesToSet(feedback.fresh);
  const copies = Array.from({ length: repeat }, () => once);
  const recall = samplesToSet(feedback.recall);
  return {
    set: concatSets(replay, styled, ...copies, recall),
    feedbackStart: replayCount + styled.count,
    replayCount,
    repeat,
  };
}

/**
 * For each of `count` writer digits (cycling when `count` is larger), one MNIST training digit
 * of the class `reading` gives it (the live model's reading), in a seeded order per class: the
 * writer replay of `--writer-replay-by reading`. Where a hand's digit looks like another class
 * to the model, the candidate trains on that class's MNIST digits beside it.
 */
export function replayByReading(
  mnistTrain: SampleSet,
  reading: ArrayLike<number>,
  count: number,
  seed: number,
): SampleSet {
  const byClass = shuffledByClass(mnistTrain, seed);
  const next = new Array<number>(10).fill(0);
  const chosen: number[] = [];
  for (let k = 0; k < count && reading.length > 0; k++) {
    const c = reading[k % reading.length]!;
    const list = byClass[c];
    if (!list?.length) continue;
    chosen.push(list[next[c]!++ % list.length]!);
  }
  return pick(mnistTrain, chosen);
}
