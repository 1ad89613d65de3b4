import { canonicalUuidSchema, type HeldBackFlag } from 'sync-server/contract';
import { appendHeldBack } from 'sync-server/registry';
import { log } from '../../log';

/**
 * Records the answers this run held back in `new_data/disputed.jsonl` (fsynced), so the
 * server's review queue lists them: they train only once review accepts them, and an
 * answer nobody can see could never be accepted. Ids already there are not written again.
 * Answers of the original system (keyed by file name, no UUID) cannot be reviewed by id and
 * are left out. Runs under the models lock, the file's only writer.
 */
export async function recordHeldBack(
  dataDir: string,
  heldBack: readonly { id: string; flag: HeldBackFlag }[],
  model: string,
  at: Date,
): Promise<number> {
  const entries = heldBack
    .filter((h) => canonicalUuidSchema.safeParse(h.id).success)
    .map((h) => ({ id: h.id.toLowerCase(), flag: h.flag, at: at.toISOString(), model }));
  const added = await appendHeldBack(dataDir, entries, (bytes) =>
    log('warn', `cut a torn last line of disputed.jsonl (${bytes} bytes, a crash mid-append)`),
  );
  if (added.length > 0) log('info', `${added.length} held-back answers now wait for review`);
  return added.length;
}
