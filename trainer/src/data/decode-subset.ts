import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  entryFromPngName,
  METADATA_FILE,
  metadataEntrySchema,
  subsetDirName,
  type MetadataEntry,
} from 'sync-server/contract';
import type { DecodedSubset, FeedbackSample } from './stored-answer';
import { pixelsOfStoredPng } from './stored-pixels';

/**
 * Decodes one `sub_set_N` folder: the metadata entries, plus PNGs the metadata does not list
 * (a crash between writing the PNG and the metadata); their label and time come from the file
 * name. Accepts the original system's metadata (filename/true_label/created_at/source only).
 */
export async function decodeSubset(dataDir: string, index: number): Promise<DecodedSubset> {
  const dir = join(dataDir, subsetDirName(index));
  const skipped: string[] = [];
  const entries = await readEntries(dir, skipped);
  const listed = new Set(entries.map((e) => e.filename));
  for (const name of (await readdir(dir)).filter((n) => n.endsWith('.png')).sort()) {
    if (listed.has(name)) continue;
    const entry = entryFromPngName(name);
    if (!entry) skipped.push(`${name}: not a <label>_<ms>[_<id8>].png name`);
    else entries.push(entry);
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

async function readSample(
  dir: string,
  subset: number,
  entry: MetadataEntry,
): Promise<FeedbackSample> {
  const buffer = await readFile(join(dir, entry.filename)).catch((cause: unknown) => {
    throw new Error('PNG missing', { cause });
  });
  const sample: FeedbackSample = {
    id: entry.id ?? entry.filename,
    subset,
    label: entry.true_label,
    createdAt: entry.created_at,
    source: entry.source,
    pixels: pixelsOfStoredPng(buffer, entry),
  };
  if (entry.client_id) sample.clientId = entry.client_id.toLowerCase();
  if (entry.flags?.length) sample.flags = entry.flags;
  return sample;
}
