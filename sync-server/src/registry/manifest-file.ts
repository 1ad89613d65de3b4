import { join } from 'node:path';
import {
  HISTORY_FILE,
  MANIFEST_FILE,
  MANIFEST_HISTORY_LIMIT,
  historyEntrySchema,
  manifestSchema,
  type HistoryEntry,
  type Manifest,
} from '../contract';
import { appendLineSynced, readTextIfExists, replaceFileAtomic } from './durable-fs';
import { readJsonLines } from './jsonl';

/** What `parseManifest` made of a body: the manifest, or why it breaks the contract. */
export type ParsedManifest = { ok: true; value: Manifest } | { ok: false; reason: string };

/** Parses and validates a `manifest.json` body against the contract's schema. */
export function parseManifest(body: string): ParsedManifest {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    return { ok: false, reason: `not JSON: ${(err as Error).message}` };
  }
  const r = manifestSchema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  return { ok: false, reason: `${issue?.path.join('.')}: ${issue?.message}` };
}

/** `models/manifest.json`, validated; null when none exists yet. Throws when it is invalid. */
export async function readManifest(modelsDir: string): Promise<Manifest | null> {
  const path = join(modelsDir, MANIFEST_FILE);
  const body = await readTextIfExists(path);
  if (body === null) return null;
  const parsed = parseManifest(body);
  if (!parsed.ok) throw new Error(`${path} breaks the contract at ${parsed.reason}`);
  return parsed.value;
}

/**
 * Validates and atomically replaces the manifest (temp, fsync, rename, fsync the folder).
 * With `attempt`, that entry is added to the history first. The manifest keeps the newest
 * MANIFEST_HISTORY_LIMIT entries; every attempt is also appended to `models/history.jsonl`.
 * Call it holding the retrain lock.
 */
export async function writeManifest(
  modelsDir: string,
  manifest: Manifest,
  attempt?: HistoryEntry,
): Promise<Manifest> {
  const history = attempt ? [...manifest.history, attempt] : manifest.history;
  const next = manifestSchema.parse({
    ...manifest,
    history: history.slice(-MANIFEST_HISTORY_LIMIT),
  });
  await replaceFileAtomic(join(modelsDir, MANIFEST_FILE), `${JSON.stringify(next, null, 2)}\n`);
  // The manifest is the commit point, so the log comes second: a crash between the two loses
  // one log line, never records an attempt whose manifest was not written.
  if (attempt) await appendLineSynced(join(modelsDir, HISTORY_FILE), JSON.stringify(attempt));
  return next;
}

/** Every attempt in `models/history.jsonl`, oldest first (a torn last line is ignored). */
export function readHistoryLog(modelsDir: string): Promise<HistoryEntry[]> {
  return readJsonLines(join(modelsDir, HISTORY_FILE), historyEntrySchema);
}
