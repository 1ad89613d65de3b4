// Writes `count` synthetic app answers into a new_data/ folder in the real layout (subsets of
// `perSubset`, PNG + metadata.json, count.json), fast enough for 100,000: the PNGs of a small
// pool are encoded once and their bytes written again under each answer's name. With
// `cacheSealedBefore`, the decoded cache of each sealed subset below it is written too, as the
// retrains that followed each seal would have left it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  COUNT_FILE,
  FEEDBACK_SOURCE,
  METADATA_FILE,
  PIXEL_COUNT,
  pngFileName,
  subsetDirName,
  type MetadataEntry,
} from 'sync-server/contract';
import type { FeedbackSample } from '../src/data/stored-answer';
import { subsetKey, writeSubsetCache } from '../src/data/subset-cache';
import type { SampleSet } from '../src/train';
import { grayPng, uuidFrom } from '../test/helpers/write-new-data';

export interface GenerateOptions {
  count: number;
  perSubset: number;
  /** Subsets below this index get their cache written. */
  cacheSealedBefore: number;
}

export async function generateAnswers(
  dataDir: string,
  pool: SampleSet,
  options: GenerateOptions,
): Promise<void> {
  const pngs = Array.from({ length: pool.count }, (_, i) => grayPng(pixelsOf(pool, i)));
  const start = 1_760_000_000_000;
  const subsets = Math.ceil(options.count / options.perSubset);
  for (let s = 0; s < subsets; s++) {
    const dir = join(dataDir, subsetDirName(s));
    mkdirSync(dir, { recursive: true });
    const entries: MetadataEntry[] = [];
    const samples: FeedbackSample[] = [];
    const end = Math.min(options.count, (s + 1) * options.perSubset);
    for (let i = s * options.perSubset; i < end; i++) {
      const id = uuidFrom(`bench-${i}`);
      const k = i % pool.count;
      const label = pool.labels[k]!;
      const filename = pngFileName(label, start + i, id);
      writeFileSync(join(dir, filename), pngs[k]!);
      entries.push({
        filename,
        true_label: label,
        created_at: start + i,
        source: FEEDBACK_SOURCE,
        id,
      });
      const pixels = pixelsOf(pool, k);
      samples.push({ id, subset: s, label, createdAt: start + i, source: FEEDBACK_SOURCE, pixels });
    }
    writeFileSync(join(dir, METADATA_FILE), JSON.stringify(entries));
    if (s < options.cacheSealedBefore) {
      const decoded = { size: samples.length, samples, skipped: [] };
      await writeSubsetCache(dataDir, s, await subsetKey(dataDir, s), decoded);
    }
  }
  const open = options.count % options.perSubset;
  const count = { current_count: open, sub_set_count: open === 0 ? subsets : subsets - 1 };
  writeFileSync(join(dataDir, COUNT_FILE), JSON.stringify(count));
}

function pixelsOf(set: SampleSet, i: number): Uint8Array {
  return set.images.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT);
}
