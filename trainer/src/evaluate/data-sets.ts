import { loadMnist } from '../data/mnist';
import { readNewData } from '../data/subsets';
import { splitHoldout } from '../gate';
import type { SampleSet } from '../train';
import { samplesToSet } from './score';

export interface NamedSet {
  name: string;
  set: SampleSet;
}

/**
 * The sets `evaluate --data` names: `mnist-test` (official 10k), or a `new_data/`-shaped
 * folder (`new_data` = the configured one), scored as all feedback, its training part and
 * its holdout part.
 */
export async function evaluationSets(
  data: string,
  dataDir: string,
  threshold: number,
): Promise<NamedSet[]> {
  if (data === 'mnist-test') return [{ name: 'mnist-test', set: loadMnist('test') }];
  const subsets = await readNewData(dataDir, { threshold });
  const samples = subsets.flatMap((s) => s.samples);
  if (samples.length === 0) throw new Error(`no feedback samples in ${dataDir}`);
  const { train, holdout } = splitHoldout(samples);
  return [
    { name: `${data}: all`, set: samplesToSet(samples) },
    { name: `${data}: train part`, set: samplesToSet(train) },
    { name: `${data}: holdout`, set: samplesToSet(holdout) },
  ];
}
