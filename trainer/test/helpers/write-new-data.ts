import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import {
  COUNT_FILE,
  FEEDBACK_SOURCE,
  METADATA_FILE,
  PIXEL_COUNT,
  pngFileName,
  subsetDirName,
  type MetadataEntry,
} from 'sync-server/contract';
import type { SampleSet } from '../../src/train';

export interface WriteNewDataOptions {
  /** Samples per subset (the threshold). */
  perSubset: number;
  /** Tag mixed into the ids, so two folders written from one set get different ids. */
  tag?: string;
  /** First sample time, ms. */
  startMs?: number;
  /** Index of the first subset written (default 0): appends after earlier rounds. */
  firstSubset?: number;
  /** Extra metadata per sample (by its index in `set`): `client_id`, `flags`, ... */
  meta?: (i: number) => Partial<MetadataEntry>;
}

/**
 * Writes `set` as feedback in this system's `new_data/` format: full subsets are sealed, a
 * remainder becomes the open subset, count.json names it. Ids are derived from the tag and
 * the index, so a rerun writes the same ids (and the same holdout split).
 */
export async function writeNewData(
  dataDir: string,
  set: SampleSet,
  options: WriteNewDataOptions,
): Promise<void> {
  const start = options.startMs ?? 1_760_000_000_000;
  const first = options.firstSubset ?? 0;
  const subsets = Math.ceil(set.count / options.perSubset);
  for (let s = 0; s < subsets; s++) {
    const dir = join(dataDir, subsetDirName(first + s));
    await mkdir(dir, { recursive: true });
    const entries: MetadataEntry[] = [];
    const end = Math.min(set.count, (s + 1) * options.perSubset);
    for (let i = s * options.perSubset; i < end; i++) {
      const id = uuidFrom(`${options.tag ?? 'set'}-${i}`);
      const label = set.labels[i]!;
      const filename = pngFileName(label, start + i, id);
      await writeFile(
        join(dir, filename),
        grayPng(set.images.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT)),
      );
      entries.push({
        filename,
        true_label: label,
        created_at: start + i,
        source: FEEDBACK_SOURCE,
        id,
        ...options.meta?.(i),
      });
    }
    await writeFile(join(dir, METADATA_FILE), JSON.stringify(entries));
  }
  const open = set.count % options.perSubset;
  const count = {
    current_count: open,
    sub_set_count: first + (open === 0 ? subsets : subsets - 1),
  };
  await writeFile(join(dataDir, COUNT_FILE), JSON.stringify(count));
}

/** A 28×28 8-bit grayscale PNG of `pixels`, as the server stores an answer. */
export function grayPng(pixels: Uint8Array): Buffer {
  const png = new PNG({ width: 28, height: 28, colorType: 0, inputColorType: 0, bitDepth: 8 });
  png.data = Buffer.from(pixels);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0 });
}

/** A stable UUID derived from `text`, so generated answers are the same on every run. */
export function uuidFrom(text: string): string {
  const h = createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
