import { readFileSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { METADATA_FILE, PIXEL_COUNT, subsetDirName } from 'sync-server/contract';
import { z } from 'zod';
import type { DecodedSubset, FeedbackSample } from './stored-answer';

/** Derived data beside the subsets; ignored by git, rebuilt whenever it is missing or stale. */
export const CACHE_DIR = '.cache';

// Bump when the file layout or how pixels are derived changes: older files then read as stale.
const FORMAT = 1;
const MAGIC = Buffer.from('DGSC');
const HASH_BYTES = 4;
const HEADER_BYTES = MAGIC.length + HASH_BYTES + 4;

/**
 * What a cache file was built from: the metadata.json's size and mtime and the folder's mtime
 * (a PNG added or removed changes it). Any difference makes the cache stale.
 */
export interface SubsetKey {
  format: number;
  metadataSize: number;
  metadataMtimeMs: number;
  dirMtimeMs: number;
}

const answerSchema = z.object({
  id: z.string(),
  label: z.int().min(0).max(9),
  createdAt: z.number(),
  source: z.string(),
  clientId: z.string().optional(),
  flags: z.array(z.string()).optional(),
});
const indexSchema = z.object({
  key: z.object({
    format: z.number(),
    metadataSize: z.number(),
    metadataMtimeMs: z.number(),
    dirMtimeMs: z.number(),
  }),
  size: z.int().min(0),
  skipped: z.array(z.string()),
  answers: z.array(answerSchema),
});

// The reads below are synchronous on purpose: a retrain checks every subset's key and reads
// its cache, and tens of thousands of tiny reads cost far less without a thread-pool round trip
// each (the trainer is a CLI; nothing else waits on its event loop meanwhile).

/** The key the subset's files have now. */
export function subsetKey(dataDir: string, index: number): SubsetKey {
  const dir = join(dataDir, subsetDirName(index));
  const dirStat = statSync(dir);
  const meta = statSync(join(dir, METADATA_FILE), { throwIfNoEntry: false });
  return {
    format: FORMAT,
    metadataSize: meta?.size ?? -1,
    metadataMtimeMs: meta?.mtimeMs ?? -1,
    dirMtimeMs: dirStat.mtimeMs,
  };
}

export function cachePath(dataDir: string, index: number): string {
  return join(dataDir, CACHE_DIR, `${subsetDirName(index)}.bin`);
}

/**
 * The cached decode of subset `index`, or null when there is none, it was built from other
 * files than `key` describes, or it fails its checksum (a CRC-32 of everything after it) or
 * its shape: a torn or edited file is never trusted; the caller decodes the PNGs again.
 */
export function readSubsetCache(
  dataDir: string,
  index: number,
  key: SubsetKey,
): DecodedSubset | null {
  const file = readOrNull(cachePath(dataDir, index));
  if (!file || file.length < HEADER_BYTES || !file.subarray(0, MAGIC.length).equals(MAGIC)) {
    return null;
  }
  const body = file.subarray(MAGIC.length + HASH_BYTES);
  if (crc32(body) !== file.readUInt32LE(MAGIC.length)) return null;
  const jsonBytes = body.readUInt32LE(0);
  const parsed = indexSchema.safeParse(safeJson(body.subarray(4, 4 + jsonBytes).toString()));
  if (!parsed.success || !sameKey(parsed.data.key, key)) return null;
  const pixels = body.subarray(4 + jsonBytes);
  if (pixels.length !== parsed.data.answers.length * PIXEL_COUNT) return null;
  const samples = parsed.data.answers.map((a, i): FeedbackSample => {
    const { clientId, flags, ...rest } = a;
    const sample: FeedbackSample = {
      ...rest,
      subset: index,
      // A view: the caller copies what it keeps (see `loadSamples`).
      pixels: pixels.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT),
    };
    if (clientId !== undefined) sample.clientId = clientId;
    if (flags !== undefined) sample.flags = flags;
    return sample;
  });
  return { size: parsed.data.size, skipped: parsed.data.skipped, samples };
}

/** Writes the cache of subset `index` (temp file, then rename: readers never see half). */
export async function writeSubsetCache(
  dataDir: string,
  index: number,
  key: SubsetKey,
  decoded: DecodedSubset,
): Promise<void> {
  const answers = decoded.samples.map(({ pixels: _pixels, subset: _subset, ...a }) => a);
  const json = Buffer.from(
    JSON.stringify({ key, size: decoded.size, skipped: decoded.skipped, answers }),
  );
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  const body = Buffer.concat([length, json, ...decoded.samples.map((s) => s.pixels)]);
  const hash = Buffer.alloc(HASH_BYTES);
  hash.writeUInt32LE(crc32(body));
  const path = cachePath(dataDir, index);
  await mkdir(join(dataDir, CACHE_DIR), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, Buffer.concat([MAGIC, hash, body]));
  await rename(temp, path);
}

function readOrNull(path: string): Buffer | null {
  try {
    return readFileSync(path);
  } catch {
    return null;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function sameKey(a: SubsetKey, b: SubsetKey): boolean {
  return (
    a.format === b.format &&
    a.metadataSize === b.metadataSize &&
    a.metadataMtimeMs === b.metadataMtimeMs &&
    a.dirMtimeMs === b.dirMtimeMs
  );
}
