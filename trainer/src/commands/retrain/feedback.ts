import type { Manifest } from 'sync-server/contract';
import type { ClientCapOptions } from '../../data/caps';
import { screenFeedback, type ScreenCounts } from '../../data/screen';
import { holdoutSample, recallSample } from '../../data/balanced-sample';
import {
  indexNewData,
  loadSamples,
  type FeedbackSample,
  type StoredAnswer,
  type Subset,
  type SubsetIndex,
} from '../../data/subsets';
import { splitHoldout } from '../../gate';

/**
 * Most copies of one older answer in the recall sample. With fewer than `recallSample` older
 * answers the sample is filled by repeats (augmented anew each time), so a retrain costs the
 * same from `recallSample / 3` stored answers on; three copies keep old answers from
 * outweighing the new ones, which are repeated up to `maxRepeat`.
 */
const RECALL_MAX_REPEAT = 3;

export interface Feedback {
  /** All sealed subsets, ascending: what the candidate has seen (some through its parent). */
  subsets: number[];
  /** The newest sealed subset: its samples give the prequential accuracy. */
  newest: Subset;
  /** The answers new since the live model, then the recall sample of older ones. */
  train: FeedbackSample[];
  /** Training answers new since the live model (the first `newTrain` of `train`). */
  newTrain: number;
  /** Sealed subsets new since the live model: how many answers the round brings, in subsets. */
  newSubsets: number;
  /**
   * Training answers new since the live model that did not fit in `maxNew` (the oldest of an
   * unpublished backlog): they joined the older answers the recall sample is drawn from.
   */
  deferred: number;
  /** The bounded holdout sample the gate pairs the live model and the candidate on. */
  holdout: FeedbackSample[];
  /** What review and the per-client caps held back (out of both train and holdout). */
  screened: ScreenCounts;
  /** Ids (lower case) a reviewer accepted: they train even when flagged or disputed. */
  accepted: ReadonlySet<string>;
}

export interface GatherOptions {
  dataDir: string;
  threshold: number;
  force: boolean;
  /** Older accepted answers sampled back in (class-balanced). */
  recallSample: number;
  /**
   * Most answers that train as new (whole subsets, the newest first; the newest always): after
   * rounds the gate rejected, the answers new since the live model pile up, and a retrain would
   * otherwise cost more with every rejected round. The rest join the recall sample's pool.
   */
  maxNew: number;
  /** Most held-out answers scored (stratified, newest first). */
  holdoutSample: number;
  seed: number;
  /** Per-client caps, applied after review and before the holdout split. */
  caps: ClientCapOptions;
}

/**
 * The sealed feedback a candidate trains and is judged on, or the reason there is nothing
 * new to train on: no sealed subset, or every sealed subset is already in the live model, or
 * the last attempt already tried exactly these subsets on this live model (unless `force`).
 *
 * Cost does not grow with history: the trainer reads every subset's metadata (from the cache)
 * but the pixels only of what it uses: the answers new since the live model, a fixed-size
 * recall sample of older ones, the bounded holdout and the newest subset.
 */
export async function gatherFeedback(
  manifest: Manifest,
  options: GatherOptions,
): Promise<Feedback | { nothing: string }> {
  const { dataDir, threshold } = options;
  const sealed = (await indexNewData(dataDir, { threshold })).filter((s) => s.sealed);
  const newestIndex = sealed.at(-1);
  if (!newestIndex) return { nothing: `no sealed subset in ${dataDir} yet` };
  const subsets = sealed.map((s) => s.index);
  if (!options.force) {
    const why = alreadyTried(subsets, manifest);
    if (why) return { nothing: why };
  }
  const screen = await screenFeedback(dataDir, trainable(sealed), options.caps);
  const { train, holdout } = splitHoldout(screen.samples);
  if (train.length === 0) {
    return {
      nothing: 'no sealed sample may train: each is in the holdout, awaits review or was rejected',
    };
  }
  const inLive = new Set(liveSubsets(manifest));
  const asNew = newestSubsets(train, inLive, options.maxNew);
  const fresh = train.filter((a) => asNew.has(a.subset));
  const older = train.filter((a) => !asNew.has(a.subset));
  const oldestNew = asNew.size > 0 ? Math.min(...asNew) : -Infinity;
  const chosen = [
    ...fresh,
    ...recallSample(older, options.recallSample, options.seed, RECALL_MAX_REPEAT),
  ];
  const held = holdoutSample(holdout, options.holdoutSample);
  const newest = newestIndex.answers;
  const pixels = await loadSamples(dataDir, [...chosen, ...held, ...newest]);
  return {
    subsets,
    newest: {
      index: newestIndex.index,
      sealed: true,
      samples: pixels.slice(chosen.length + held.length),
      skipped: [],
    },
    train: pixels.slice(0, chosen.length),
    newTrain: fresh.length,
    // A subset new since the live model counts unless it is older than every one that trains
    // as new: deferred, its answers are in the recall sample's pool like any older answer.
    newSubsets: subsets.filter((s) => !inLive.has(s) && !(s < oldestNew)).length,
    deferred: older.filter((a) => !inLive.has(a.subset)).length,
    holdout: pixels.slice(chosen.length, chosen.length + held.length),
    screened: screen.counts,
    accepted: screen.accepted,
  };
}

/**
 * The answers that may train or judge a candidate, from all sealed subsets. Screening (per
 * client caps, review of flagged answers) filters this list: it sees every answer's
 * metadata, and nothing downstream reads an answer it dropped.
 */
export function trainable(sealed: readonly SubsetIndex[]): StoredAnswer[] {
  return sealed.flatMap((s) => s.answers);
}

/**
 * The subsets new since the live model whose training answers train as new: the newest first,
 * as long as their answers together stay within `maxNew`; the newest one always, whatever its
 * size. Whole subsets, so a writer's answers in one subset are never split.
 */
export function newestSubsets(
  train: readonly StoredAnswer[],
  inLive: ReadonlySet<number>,
  maxNew: number,
): Set<number> {
  const counts = new Map<number, number>();
  for (const { subset } of train) {
    if (!inLive.has(subset)) counts.set(subset, (counts.get(subset) ?? 0) + 1);
  }
  const taken = new Set<number>();
  let total = 0;
  for (const subset of [...counts.keys()].sort((a, b) => b - a)) {
    const n = counts.get(subset)!;
    if (taken.size > 0 && total + n > maxNew) break;
    taken.add(subset);
    total += n;
  }
  return taken;
}

function liveSubsets(manifest: Manifest): number[] {
  return manifest.versions.find((v) => v.version === manifest.current)?.trainedOn.subsets ?? [];
}

function alreadyTried(subsets: number[], manifest: Manifest): string | null {
  const inLive = new Set(liveSubsets(manifest));
  if (subsets.every((i) => inLive.has(i))) {
    return `nothing new: the live model ${manifest.current} already trained on subsets ${span(subsets)}`;
  }
  const last = manifest.history.at(-1);
  const same =
    last !== undefined &&
    last.outcome !== 'failed' &&
    last.parent === manifest.current &&
    last.trainedOn?.subsets.join() === subsets.join();
  if (same) {
    return `nothing new: subsets ${span(subsets)} were already tried on ${manifest.current} (${last.outcome})`;
  }
  return null;
}

const span = (xs: number[]) => (xs.length > 3 ? `${xs[0]}-${xs.at(-1)}` : xs.join(', '));
