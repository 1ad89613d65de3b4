// What the replay measures: the live model's predictions on the judged sets, before and after,
// compared digit by digit.
import { readManifest } from 'sync-server/registry';
import { loadVersion } from '../../src/registry';
import { predictClasses, type SampleSet } from '../../src/train';

/** The live model of a models/ folder: its version, accuracy and predictions per set. */
export interface LiveScores {
  version: string;
  scores: Record<string, number>;
  predictions: Record<string, Uint8Array>;
}

export async function scoreLive(
  modelsDir: string,
  sets: Record<string, SampleSet>,
): Promise<LiveScores> {
  const manifest = (await readManifest(modelsDir))!;
  const model = await loadVersion(modelsDir, manifest.current);
  const predictions = Object.fromEntries(
    Object.entries(sets).map(([name, set]) => [name, predictClasses(model, set, 500)]),
  );
  model.dispose();
  const scores = Object.fromEntries(
    Object.entries(sets).map(([name, set]) => {
      const predicted = predictions[name]!;
      return [name, set.labels.filter((label, i) => predicted[i] === label).length / set.count];
    }),
  );
  return { version: manifest.current, scores, predictions };
}

/**
 * Paired comparison on the same digits: how many the retrain fixed and broke, and McNemar's z
 * ((fixed − broken) / √(fixed + broken)); |z| > 1.96 is a change beyond chance at 5 %.
 */
export function paired(set: SampleSet, before: Uint8Array, after: Uint8Array) {
  let fixed = 0;
  let broken = 0;
  for (let i = 0; i < set.count; i++) {
    const [was, is] = [before[i] === set.labels[i], after[i] === set.labels[i]];
    if (!was && is) fixed++;
    if (was && !is) broken++;
  }
  const z = fixed + broken ? (fixed - broken) / Math.sqrt(fixed + broken) : 0;
  return { fixed, broken, z };
}

/** Share of the errors before that are gone after (negative: more errors). */
export function errorsRemoved(
  before: number | undefined,
  after: number | undefined,
): number | null {
  if (before === undefined || after === undefined || before >= 1) return null;
  return (after - before) / (1 - before);
}

/**
 * Each writer's judged digits read right before and after. The judged set holds `perWriter`
 * digits of each writer, writer by writer.
 */
export function byWriter(
  set: SampleSet,
  perWriter: number,
  before: Uint8Array,
  after: Uint8Array,
): Array<{ before: number; after: number }> {
  const right = (predicted: Uint8Array, w: number) => {
    let n = 0;
    for (let i = w * perWriter; i < (w + 1) * perWriter; i++) {
      if (predicted[i] === set.labels[i]) n++;
    }
    return n / perWriter;
  };
  return Array.from({ length: Math.floor(set.count / perWriter) }, (_, w) => ({
    before: right(before, w),
    after: right(after, w),
  }));
}
