import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  encodePixels,
  MNIST_SIZE,
  subsetDirName,
  type MetadataEntry,
  type RecentAnswers,
} from '../contract';
import type { StoredEntry } from '../storage/feedback-store';
import { decodeGrayPng } from '../storage/png';

export interface RecentSource {
  dataDir: string;
  /** Every stored entry with its subset; empty on a store that keeps none in memory. */
  storedEntries(): Iterable<StoredEntry>;
}

/** The newest `perDigit` entries of each confirmed digit, with where their PNG lies. */
function newest(source: RecentSource, perDigit: number) {
  const all = [...source.storedEntries()];
  all.sort((a, b) => b.entry.created_at - a.entry.created_at);
  return Array.from({ length: 10 }, (_, label) =>
    all.filter((a) => a.entry.true_label === label).slice(0, perDigit),
  );
}

async function pixelsOf(dataDir: string, subset: number, filename: string): Promise<string | null> {
  try {
    return pixelsOfPng(await readFile(join(dataDir, subsetDirName(subset), filename)));
  } catch {
    // A file gone or unreadable is left out of the view; the store's own checks report it.
    return null;
  }
}

/** A stored 28×28 PNG as the contract's pixels; null for any other size. Throws on no PNG. */
export function pixelsOfPng(file: Buffer): string | null {
  const png = decodeGrayPng(file);
  if (png.width !== MNIST_SIZE || png.height !== MNIST_SIZE) return null;
  return encodePixels(png.gray);
}

/** One answer of the recent view. */
export function recentAnswerOf(entry: MetadataEntry, pixels: string) {
  return {
    id: entry.id ?? null,
    pixels,
    predicted: entry.predicted_label ?? null,
    createdAt: entry.created_at,
    flags: entry.flags ?? [],
  };
}

/** Reads the newest answers' images for the admin view (at most 10 × perDigit small PNGs). */
export async function recentAnswers(
  source: RecentSource,
  perDigit: number,
): Promise<RecentAnswers> {
  const digits = await Promise.all(
    newest(source, perDigit).map(async (picked, label) => {
      const answers = await Promise.all(
        picked.map(async ({ subset, entry }) => {
          const pixels = await pixelsOf(source.dataDir, subset, entry.filename);
          return pixels ? recentAnswerOf(entry, pixels) : null;
        }),
      );
      return { label, answers: answers.filter((a) => a !== null) };
    }),
  );
  return { digits };
}
