import { join } from 'node:path';
import { DISPUTED_FILE, heldBackEntrySchema, type HeldBackEntry } from '../contract';
import { appendLineSynced } from './durable-fs';
import { cutTornLastLine, readJsonLines } from './jsonl';

/**
 * Every held-back answer in `new_data/disputed.jsonl`, oldest first; [] when none was. A
 * torn last line (a crash mid-append) is ignored.
 */
export function readHeldBack(dataDir: string): Promise<HeldBackEntry[]> {
  return readJsonLines(join(dataDir, DISPUTED_FILE), heldBackEntrySchema);
}

/**
 * Appends the entries whose id the file does not hold yet, in one write and one flush, and
 * returns them. Only the trainer writes this file, under the models lock, so no two appends
 * overlap; a torn last line a crash left is cut off first (`onTorn` says how many bytes).
 */
export async function appendHeldBack(
  dataDir: string,
  entries: readonly HeldBackEntry[],
  onTorn?: (bytes: number) => void,
): Promise<HeldBackEntry[]> {
  if (entries.length === 0) return [];
  const path = join(dataDir, DISPUTED_FILE);
  const torn = await cutTornLastLine(path);
  if (torn > 0) onTorn?.(torn);
  const seen = new Set((await readHeldBack(dataDir)).map((e) => e.id.toLowerCase()));
  const fresh: HeldBackEntry[] = [];
  for (const entry of entries) {
    const valid = heldBackEntrySchema.parse({ ...entry, id: entry.id.toLowerCase() });
    if (seen.has(valid.id)) continue;
    seen.add(valid.id);
    fresh.push(valid);
  }
  if (fresh.length > 0)
    await appendLineSynced(path, fresh.map((e) => JSON.stringify(e)).join('\n'));
  return fresh;
}
