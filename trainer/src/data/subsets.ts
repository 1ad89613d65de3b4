import { readdir } from 'node:fs/promises';
import { parseSubsetDirName } from 'sync-server/contract';
import { openSubsetIndex } from 'sync-server/registry';
import { log } from '../log';
import { decodeSubset } from './decode-subset';
import type { DecodedSubset, FeedbackSample, StoredAnswer } from './stored-answer';
import { readSubsetCache, subsetKey, writeSubsetCache, type SubsetKey } from './subset-cache';

export type { DecodedSubset, FeedbackSample, StoredAnswer } from './stored-answer';

export interface Subset {
  index: number;
  sealed: boolean;
  samples: FeedbackSample[];
  /** Files or entries that could not be used, with why (missing PNG, no ink, ...). */
  skipped: string[];
}

/** A subset's answers without their pixels: what choosing the training set needs. */
export interface SubsetIndex {
  index: number;
  sealed: boolean;
  answers: StoredAnswer[];
}

export interface ReadNewDataOptions {
  /** Samples that seal a subset (the server's RETRAIN_THRESHOLD). */
  threshold: number;
}

/**
 * Reads every `sub_set_N` of a `new_data/` folder, oldest first, with pixels. The original
 * system's PNGs go through `toMnist`; this system's answers are read as stored (see
 * `isStoredNormalized`). A fresh cache in `new_data/.cache/` is used; this never writes it.
 *
 * Which subsets are sealed is the registry's seal rule, the server's own: below count.json's
 * `sub_set_count` (a seal is permanent), below a later non-empty subset, or full at
 * `threshold`. A missing folder reads as no subsets.
 */
export async function readNewData(dataDir: string, options: ReadNewDataOptions): Promise<Subset[]> {
  const read = await readAll(dataDir, options, { quiet: false, write: false }, (d) => d);
  return read.map(({ index, sealed, kept }) => ({
    index,
    sealed,
    samples: kept.samples,
    skipped: kept.skipped,
  }));
}

/**
 * Like `readNewData`, but keeps only each answer's metadata, so memory does not grow with the
 * pixels of every answer ever stored; `loadSamples` then reads the pixels of the chosen few.
 * Writes the cache of each sealed subset it had to decode, so the next run reads no PNG.
 */
export async function indexNewData(
  dataDir: string,
  options: ReadNewDataOptions,
): Promise<SubsetIndex[]> {
  const withoutPixels = (d: DecodedSubset) =>
    d.samples.map(({ pixels: _pixels, ...answer }): StoredAnswer => answer);
  const read = await readAll(dataDir, options, { quiet: true, write: true }, withoutPixels);
  return read.map(({ index, sealed, kept }) => ({ index, sealed, answers: kept }));
}

/** The pixels of `answers` (from the cache where it is fresh), in the order given. */
export async function loadSamples(
  dataDir: string,
  answers: readonly StoredAnswer[],
): Promise<FeedbackSample[]> {
  const bySubset = new Map<number, Map<string, FeedbackSample>>();
  for (const subset of new Set(answers.map((a) => a.subset))) {
    const { decoded } = await readSubset(dataDir, subset);
    bySubset.set(subset, new Map(decoded.samples.map((s) => [s.id, s])));
  }
  return answers.map((a) => {
    const sample = bySubset.get(a.subset)?.get(a.id);
    if (!sample) throw new Error(`sub_set_${a.subset}: ${a.id} changed while the trainer read it`);
    // A copy: cached pixels are views into their subset's file, which this lets go.
    return { ...sample, pixels: new Uint8Array(sample.pixels) };
  });
}

interface ReadMode {
  /** Log only the skips of subsets decoded now (cached ones were logged when decoded). */
  quiet: boolean;
  write: boolean;
}

// Subsets in index order, each turned by `keep` into what the caller holds on to, as soon as
// it is read (a cached one) or cached (a decoded one): the pixels of the whole history are
// never all in memory at once unless `keep` holds them.
async function readAll<T>(
  dataDir: string,
  options: ReadNewDataOptions,
  mode: ReadMode,
  keep: (decoded: DecodedSubset) => T,
): Promise<{ index: number; sealed: boolean; kept: T }[]> {
  const read = [];
  for (const index of await subsetIndices(dataDir)) {
    const { decoded, fresh } = await readSubset(dataDir, index);
    if (fresh || !mode.quiet) {
      for (const why of decoded.skipped) log('warn', `sub_set_${index}: skipped ${why}`);
    }
    const pending = fresh ? { decoded, key: fresh } : null;
    read.push({ index, size: decoded.size, pending, kept: pending ? null : keep(decoded) });
  }
  const sizes = new Map(read.map((s) => [s.index, s.size]));
  const open = await openSubsetIndex(dataDir, sizes, options.threshold);
  const result = [];
  for (const { index, pending, kept } of read) {
    const sealed = index < open;
    // Only sealed subsets are cached: they never change again, so the cache stays fresh.
    if (pending && sealed && mode.write) await cache(dataDir, index, pending.key, pending.decoded);
    result.push({ index, sealed, kept: pending ? keep(pending.decoded) : (kept as T) });
  }
  return result;
}

// `fresh` is the key the files had before a decode (null when the cache served): the cache is
// written under it, so a change during the decode leaves it stale, never wrongly fresh.
async function readSubset(
  dataDir: string,
  index: number,
): Promise<{ decoded: DecodedSubset; fresh: SubsetKey | null }> {
  const key = subsetKey(dataDir, index);
  const cached = readSubsetCache(dataDir, index, key);
  if (cached) return { decoded: cached, fresh: null };
  return { decoded: await decodeSubset(dataDir, index), fresh: key };
}

async function cache(
  dataDir: string,
  index: number,
  key: SubsetKey,
  decoded: DecodedSubset,
): Promise<void> {
  await writeSubsetCache(dataDir, index, key, decoded).catch((err: unknown) =>
    log('warn', `sub_set_${index}: could not write its cache: ${String(err)}`),
  );
}

async function subsetIndices(dataDir: string): Promise<number[]> {
  const entries = await readdir(dataDir, { withFileTypes: true }).catch((err: unknown) => {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => parseSubsetDirName(e.name))
    .filter((i): i is number => i !== null)
    .sort((a, b) => a - b);
}
