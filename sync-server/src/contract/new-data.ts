import { z } from 'zod';

/** Default subset size; the server's `RETRAIN_THRESHOLD`. */
export const DEFAULT_THRESHOLD = 10;
export const COUNT_FILE = 'count.json';
export const METADATA_FILE = 'metadata.json';

/** `new_data/count.json`: the open subset's index and size (original system's shape). */
export const countFileSchema = z.strictObject({
  current_count: z.int().min(0),
  sub_set_count: z.int().min(0),
});
export type CountFile = z.infer<typeof countFileSchema>;

// `<label>_<createdAtMs>.png` (original system) or `<label>_<createdAtMs>_<id8>.png` (ours).
const PNG_NAME = /^([0-9])_(\d{1,15})(?:_([0-9a-f]{8}))?\.png$/;

/**
 * One entry of `sub_set_N/metadata.json`. The original system wrote only `filename`,
 * `true_label`, `created_at` and `source`; the rest is ours and optional so its data reads as is.
 */
export const metadataEntrySchema = z.strictObject({
  filename: z.string().regex(PNG_NAME, 'filename must be <label>_<ms>[_<id8>].png'),
  true_label: z.int().min(0).max(9),
  created_at: z.int().min(0),
  source: z.string().min(1),
  id: z.uuid().optional(),
  predicted_label: z.int().min(0).max(9).nullable().optional(),
  confidence: z.number().min(0).max(1).nullable().optional(),
  model_version: z.string().nullable().optional(),
  client_id: z.uuid().optional(),
  /** Why an item waits for review before it may train (e.g. `burst`). */
  flags: z.array(z.string().min(1)).optional(),
  /**
   * When the server received the item (ms): quotas and bursts count received answers, and a
   * restart rebuilds today's counts from it (`created_at` is the client's clock).
   */
  received_at: z.int().min(0).optional(),
});
export type MetadataEntry = z.infer<typeof metadataEntrySchema>;

export const metadataFileSchema = z.array(metadataEntrySchema);

/** `source` written by this system's server. */
export const FEEDBACK_SOURCE = 'web_feedback';

/** Folder name of subset `index`. */
export function subsetDirName(index: number): string {
  return `sub_set_${index}`;
}

/** The index in a `sub_set_N` folder name, or null for anything else. */
export function parseSubsetDirName(name: string): number | null {
  const m = /^sub_set_(0|[1-9]\d{0,8})$/.exec(name);
  return m ? Number(m[1]) : null;
}

/** The PNG file-name rule: `<label>_<createdAtMs>_<first 8 hex of id>.png`. */
export function pngFileName(label: number, createdAtMs: number, id: string): string {
  const id8 = id.replace(/-/g, '').slice(0, 8).toLowerCase();
  if (!/^[0-9a-f]{8}$/.test(id8)) throw new RangeError(`id must start with 8 hex digits: ${id}`);
  if (!Number.isInteger(label) || label < 0 || label > 9)
    throw new RangeError(`label 0-9, got ${label}`);
  return `${label}_${Math.trunc(createdAtMs)}_${id8}.png`;
}

/** `source` of an entry rebuilt from its PNG's file name (no metadata.json listed it). */
export const UNLISTED_SOURCE = 'unlisted';

/**
 * The metadata entry a reader rebuilds for a PNG that follows the name rule but that no
 * metadata.json lists: label and time come from the name. The id stays unknown (the name
 * holds only its first 8 hex digits), so readers key such a sample by its file name.
 */
export function entryFromPngName(filename: string): MetadataEntry | null {
  const parsed = parsePngFileName(filename);
  if (!parsed) return null;
  return {
    filename,
    true_label: parsed.label,
    created_at: parsed.createdAtMs,
    source: UNLISTED_SOURCE,
  };
}

/** Parses either file-name form; null when it is neither. */
export function parsePngFileName(
  name: string,
): { label: number; createdAtMs: number; id8: string | null } | null {
  const m = PNG_NAME.exec(name);
  if (!m) return null;
  return { label: Number(m[1]), createdAtMs: Number(m[2]), id8: m[3] ?? null };
}
