import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  EmptyImageError,
  METADATA_FILE,
  metadataEntrySchema,
  parsePngFileName,
  parseSubsetDirName,
  toMnist,
  type MetadataEntry,
} from 'sync-server/contract';
import { openSubsetIndex } from 'sync-server/registry';
import { log } from '../log';
import { decodePngGray } from './png-gray';

/** One labeled feedback image, in the model's pixel format. */
export interface FeedbackSample {
  /** The client's UUID when the metadata has one, else the file name (original system). */
  id: string;
  subset: number;
  label: number;
  createdAt: number;
  /** 784 bytes, 28×28, ink = 255: the output of the contract's `toMnist`. */
  pixels: Uint8Array;
  /** The metadata's `client_id`: whose answer it is (per-client caps key on it). */
  clientId?: string;
  /** The metadata's `flags`: non-empty means it trains only once review accepts it. */
  flags?: readonly string[];
}

export interface Subset {
  index: number;
  sealed: boolean;
  samples: FeedbackSample[];
  /** Files or entries that could not be used, with why (missing PNG, no ink, ...). */
  skipped: string[];
}

export interface ReadNewDataOptions {
  /** Samples that seal a subset (the server's RETRAIN_THRESHOLD). */
  threshold: number;
}

/**
 * Reads every `sub_set_N` of a `new_data/` folder, oldest first. Accepts the original system's
 * subsets as they are (metadata with only filename/true_label/created_at/source) and ours.
 * Every PNG goes through `toMnist`, because the original stored un-normalized canvas resizes.
 *
 * Which subsets are sealed is the registry's seal rule, the server's own: below count.json's
 * `sub_set_count` (a seal is permanent), below a later non-empty subset, or full at
 * `threshold`. A missing folder reads as no subsets.
 */
export async function readNewData(dataDir: string, options: ReadNewDataOptions): Promise<Subset[]> {
  const read = [];
  for (const index of await subsetIndices(dataDir)) {
    const subset = await readSubset(dataDir, index);
    for (const why of subset.skipped) log('warn', `sub_set_${index}: skipped ${why}`);
    read.push({ index, ...subset });
  }
  const sizes = new Map(read.map((s) => [s.index, s.size]));
  const open = await openSubsetIndex(dataDir, sizes, options.threshold);
  return read.map(({ index, samples, skipped }) => ({
    index,
    sealed: index < open,
    samples,
    skipped,
  }));
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

// The metadata entries of one subset, plus PNGs the metadata does not list (a crash between
// writing the PNG and the metadata); their label and time come from the file name.
async function readSubset(
  dataDir: string,
  index: number,
): Promise<{ samples: FeedbackSample[]; skipped: string[]; size: number }> {
  const dir = join(dataDir, `sub_set_${index}`);
  const skipped: string[] = [];
  const entries = await readEntries(dir, skipped);
  const listed = new Set(entries.map((e) => e.filename));
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.png')).sort()) {
    const parsed = parsePngFileName(name);
    if (listed.has(name)) continue;
    if (!parsed) skipped.push(`${name}: not a <label>_<ms>[_<id8>].png name`);
    else entries.push(entryFromName(name, parsed));
  }
  const samples: FeedbackSample[] = [];
  for (const entry of entries) {
    const sample = await readSample(dir, index, entry).catch((err: unknown) => {
      skipped.push(`${entry.filename}: ${err instanceof Error ? err.message : String(err)}`);
      return null;
    });
    if (sample) samples.push(sample);
  }
  return { samples, skipped, size: entries.length };
}

async function readEntries(dir: string, skipped: string[]): Promise<MetadataEntry[]> {
  const text = await readFile(join(dir, METADATA_FILE), 'utf8').catch(() => null);
  if (text === null) return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    skipped.push(`${METADATA_FILE}: not JSON`);
    return [];
  }
  if (!Array.isArray(json)) {
    skipped.push(`${METADATA_FILE}: not an array`);
    return [];
  }
  const entries: MetadataEntry[] = [];
  const seen = new Set<string>();
  json.forEach((raw, i) => {
    const parsed = metadataEntrySchema.safeParse(raw);
    if (!parsed.success) skipped.push(`${METADATA_FILE}[${i}]: ${parsed.error.issues[0]?.message}`);
    else if (seen.has(parsed.data.filename)) skipped.push(`${parsed.data.filename}: listed twice`);
    else {
      seen.add(parsed.data.filename);
      entries.push(parsed.data);
    }
  });
  return entries;
}

function entryFromName(
  filename: string,
  parsed: { label: number; createdAtMs: number },
): MetadataEntry {
  return { filename, true_label: parsed.label, created_at: parsed.createdAtMs, source: 'unlisted' };
}

async function readSample(
  dir: string,
  subset: number,
  entry: MetadataEntry,
): Promise<FeedbackSample> {
  const buffer = await readFile(join(dir, entry.filename)).catch((cause: unknown) => {
    throw new Error('PNG missing', { cause });
  });
  const { gray, width, height } = decodePngGray(buffer);
  let pixels: Uint8Array;
  try {
    pixels = toMnist(gray, width, height);
  } catch (err) {
    if (err instanceof EmptyImageError) throw new Error('no ink in the image', { cause: err });
    throw err;
  }
  return {
    id: entry.id ?? entry.filename,
    subset,
    label: entry.true_label,
    createdAt: entry.created_at,
    pixels,
    ...(entry.client_id !== undefined && { clientId: entry.client_id.toLowerCase() }),
    ...(entry.flags !== undefined && entry.flags.length > 0 && { flags: entry.flags }),
  };
}
