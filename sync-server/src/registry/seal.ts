import { join } from 'node:path';
import { COUNT_FILE, countFileSchema, type CountFile } from '../contract';
import { readTextIfExists } from './durable-fs';

/**
 * `new_data/count.json`, or null when it is missing or does not parse (the folders then
 * decide alone). It is the seal record: the commit that fills a subset writes it with
 * `sub_set_count` past that subset before the fill is acknowledged.
 */
export async function readCountFile(dataDir: string): Promise<CountFile | null> {
  const text = await readTextIfExists(join(dataDir, COUNT_FILE));
  if (text === null) return null;
  try {
    return countFileSchema.parse(JSON.parse(text));
  } catch {
    return null;
  }
}

/**
 * The seal rule, the one both the server and the trainer apply: the index of the open subset,
 * every subset below it being sealed. A seal is permanent, whatever the threshold later:
 * - every subset below the recorded `sub_set_count` of count.json is sealed (the record);
 * - every subset below the highest non-empty one is sealed (the original system never went
 *   back, and a crash may have kept count.json from catching up);
 * - that highest one is sealed too once it holds `threshold` entries.
 * So a subset sealed at 10 stays sealed after a restart with a threshold of 20, and a folder
 * without the record (the original system's data, a lost count.json) is sealed by the count.
 */
export function openIndexFor(
  sizes: ReadonlyMap<number, number>,
  threshold: number,
  recordedOpen = 0,
): number {
  let last = -1;
  for (const [index, size] of sizes) if (size > 0 && index > last) last = index;
  const byCount = last < 0 ? 0 : (sizes.get(last) ?? 0) >= threshold ? last + 1 : last;
  return Math.max(byCount, recordedOpen);
}

/** `openIndexFor` with the record read from `dataDir`'s count.json. */
export async function openSubsetIndex(
  dataDir: string,
  sizes: ReadonlyMap<number, number>,
  threshold: number,
): Promise<number> {
  const recorded = await readCountFile(dataDir);
  return openIndexFor(sizes, threshold, recorded?.sub_set_count ?? 0);
}
