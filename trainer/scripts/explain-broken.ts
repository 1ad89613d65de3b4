import { PIXEL_COUNT } from 'sync-server/contract';
import { cosine } from '../src/data/writer-style';
import type { SampleSet } from '../src/train';

/** Neighbours that carry a label for it to count: a majority of `NEIGHBOURS`. */
const NEIGHBOURS = 5;
const MAJORITY = 3;

/** The labels of the `k` digits of `pool` nearest to digit `i` of `set`, nearest first. */
export function nearestLabels(
  set: SampleSet,
  i: number,
  pool: SampleSet,
  k = NEIGHBOURS,
): number[] {
  const query = set.images.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT);
  const best: Array<{ label: number; similarity: number }> = [];
  for (let j = 0; j < pool.count; j++) {
    const similarity = cosine(query, pool.images.subarray(j * PIXEL_COUNT, (j + 1) * PIXEL_COUNT));
    if (best.length === k && similarity <= best[k - 1]!.similarity) continue;
    best.push({ label: pool.labels[j]!, similarity });
    best.sort((a, b) => b.similarity - a.similarity);
    if (best.length > k) best.pop();
  }
  return best.map((b) => b.label);
}

/** Whether at least `MAJORITY` of `labels` are `label`. */
function mostly(labels: readonly number[], label: number): boolean {
  return labels.filter((l) => l === label).length >= MAJORITY;
}

export interface BrokenDigit {
  index: number;
  label: number;
  /** What the model reads after the retrain. */
  now: number;
  writerNeighbours: number[];
  mnistNeighbours: number[];
}

export interface Explanation {
  broken: BrokenDigit[];
  /** Broken digits whose nearest writer digits mostly carry the label the model now gives. */
  taughtByWriters: number;
  /** ... and whose nearest MNIST training digits mostly do. */
  taughtByMnist: number;
  /** Digits read right before and after (every `stableStride`-th): checked, and those whose
   * nearest writer digits mostly carry their own label. */
  stable: { checked: number; writersAgree: number };
}

/**
 * Where a retrain's MNIST test cost comes from: for each digit of `test` that `before` read
 * right and `after` reads wrong, the labels of its nearest digits among `writerDigits` (what
 * the retrain wrote in the writers' hands) and among `mnistTrain`. A broken digit whose
 * nearest writer digits mostly carry its new label sits where a hand put digits of another
 * class: the retrain was taught to read that shape the other way.
 */
export function explainBroken(
  test: SampleSet,
  before: Uint8Array,
  after: Uint8Array,
  writerDigits: SampleSet,
  mnistTrain: SampleSet,
  stableStride = 40,
): Explanation {
  const broken: BrokenDigit[] = [];
  const stable = { checked: 0, writersAgree: 0 };
  for (let i = 0; i < test.count; i++) {
    const label = test.labels[i]!;
    if (before[i] !== label) continue;
    if (after[i] !== label) {
      broken.push({
        index: i,
        label,
        now: after[i]!,
        writerNeighbours: nearestLabels(test, i, writerDigits),
        mnistNeighbours: nearestLabels(test, i, mnistTrain),
      });
    } else if (i % stableStride === 0) {
      stable.checked++;
      if (mostly(nearestLabels(test, i, writerDigits), label)) stable.writersAgree++;
    }
  }
  return {
    broken,
    taughtByWriters: broken.filter((b) => mostly(b.writerNeighbours, b.now)).length,
    taughtByMnist: broken.filter((b) => mostly(b.mnistNeighbours, b.now)).length,
    stable,
  };
}

/** The explanation as the replay prints it. */
export function explanationLines(e: Explanation): string[] {
  const n = e.broken.length;
  return [
    `  MNIST test digits the retrain broke: ${n}; the ${NEIGHBOURS} nearest writer digits of ` +
      `${e.taughtByWriters} of them mostly (${MAJORITY} of ${NEIGHBOURS}) carry the label it now ` +
      `gives, the ${NEIGHBOURS} nearest MNIST training digits of ${e.taughtByMnist}; of ` +
      `${e.stable.checked} digits read right before and after, the nearest writer digits of ` +
      `${e.stable.writersAgree} mostly carry their own label`,
    ...e.broken.map(
      (b) =>
        `    #${b.index} ${b.label} → ${b.now}: writer digits ${b.writerNeighbours.join('')}, ` +
        `MNIST training digits ${b.mnistNeighbours.join('')}`,
    ),
  ];
}
