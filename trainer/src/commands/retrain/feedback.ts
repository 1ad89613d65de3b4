import type { Manifest } from 'sync-server/contract';
import type { ClientCapOptions } from '../../data/caps';
import { screenFeedback, type ScreenCounts } from '../../data/screen';
import { readNewData, type FeedbackSample, type Subset } from '../../data/subsets';
import { splitHoldout } from '../../gate';

export interface Feedback {
  /** Indices of all sealed subsets, ascending: what the candidate trains on. */
  subsets: number[];
  /** The newest sealed subset: its samples give the prequential accuracy. */
  newest: Subset;
  train: FeedbackSample[];
  holdout: FeedbackSample[];
  /** What review and the per-client caps held back (out of both train and holdout). */
  screened: ScreenCounts;
  /** Ids (lower case) a reviewer accepted: they train even when flagged or disputed. */
  accepted: ReadonlySet<string>;
}

/**
 * The sealed feedback, split into train and holdout, or the reason there is nothing new to
 * train on: no sealed subset, or every sealed subset is already in the live model, or the
 * last attempt already tried exactly these subsets on this live model (unless `force`).
 */
export async function gatherFeedback(
  dataDir: string,
  threshold: number,
  manifest: Manifest,
  force: boolean,
  caps: ClientCapOptions,
): Promise<Feedback | { nothing: string }> {
  const sealed = (await readNewData(dataDir, { threshold })).filter((s) => s.sealed);
  const newest = sealed.at(-1);
  if (!newest) return { nothing: `no sealed subset in ${dataDir} yet` };
  const subsets = sealed.map((s) => s.index);
  if (!force) {
    const why = alreadyTried(subsets, manifest);
    if (why) return { nothing: why };
  }
  const screen = await screenFeedback(
    dataDir,
    sealed.flatMap((s) => s.samples),
    caps,
  );
  const { train, holdout } = splitHoldout(screen.samples);
  if (train.length === 0) {
    return {
      nothing: 'no sealed sample may train: each is in the holdout, awaits review or was rejected',
    };
  }
  return { subsets, newest, train, holdout, screened: screen.counts, accepted: screen.accepted };
}

function alreadyTried(subsets: number[], manifest: Manifest): string | null {
  const live = manifest.versions.find((v) => v.version === manifest.current);
  const inLive = new Set(live?.trainedOn.subsets ?? []);
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
