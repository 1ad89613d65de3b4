import { randomUUID } from 'node:crypto';
import { link, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { retrainLockSchema, type RetrainLock } from '../contract';
import { isErrno, tempPathFor } from './durable-fs';

// Our writers never leave a lock file half-written (see createExclusive), so an unreadable one
// comes from elsewhere (an older version, a hand edit, a broken disk): young, it may still be
// being written and counts as held; older, it is garbage.
const UNREADABLE_STALE_MS = 10_000;

/** What a lock-like file (the lock, or a takeover guard) held when it was read. */
export interface Snapshot {
  /** The exact text, the identity a takeover compares; null when it could not be read. */
  text: string | null;
  /** Its holder, or null when the text is not a valid body. */
  holder: RetrainLock | null;
  ageMs: number;
}

/** A body unique to this acquisition: a takeover that compares texts can never confuse two. */
export function newBody(purpose?: string): string {
  const body: RetrainLock = { pid: process.pid, startedAt: new Date().toISOString() };
  if (purpose) body.purpose = purpose;
  body.token = randomUUID();
  return JSON.stringify(body);
}

/**
 * Creates `path` holding `text`, or returns false if it exists. Nobody ever sees it
 * half-written: the text goes to a private temp file first, which is then hard-linked to
 * `path`, and link, unlike rename, fails rather than replace an existing file.
 */
export async function createExclusive(path: string, text: string): Promise<boolean> {
  const temp = tempPathFor(path);
  await writeFile(temp, text, { flag: 'wx' });
  try {
    await link(temp, path);
    return true;
  } catch (err) {
    if (isErrno(err, 'EEXIST')) return false;
    throw err;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/** The file at `path` as it is now, or null when there is none. */
export async function readSnapshot(path: string): Promise<Snapshot | null> {
  let text: string | null = null;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null;
  }
  const holder = text === null ? null : parseHolder(text);
  if (holder) return { text, holder, ageMs: Date.now() - Date.parse(holder.startedAt) };
  const mtime = await stat(path).then(
    (s) => s.mtimeMs,
    () => null,
  );
  return mtime === null ? null : { text, holder, ageMs: Date.now() - mtime };
}

function parseHolder(text: string): RetrainLock | null {
  try {
    const body = retrainLockSchema.safeParse(JSON.parse(text));
    return body.success ? body.data : null;
  } catch {
    return null;
  }
}

/**
 * A file whose holder is dead, or older than `staleMs` (pids get reused), or unreadable for
 * a while. Our own pid means a leftover of this process: callers check first that this
 * process does not hold it.
 */
export function isStale(found: Snapshot, staleMs: number): boolean {
  if (!found.holder) return found.ageMs > UNREADABLE_STALE_MS;
  if (found.ageMs > staleMs) return true;
  if (found.holder.pid === process.pid) return true;
  return !isAlive(found.holder.pid);
}

/**
 * Deletes `path` only if it still holds `seen`, the text its caller judged stale. A check and
 * a delete are two steps, so they run under `<path>.takeover`, itself created exclusively:
 * while we hold it, no other taker can delete anything at `path`, and the holder of `seen` is
 * gone, so what we read is what we delete. A later taker who judged the same `seen` stale
 * finds a different text (bodies are unique) and deletes nothing. A guard is only cleared
 * when its own holder is stale, the same rule and the same way, never for its age alone.
 */
export async function removeIfUnchanged(
  path: string,
  seen: string | null,
  staleMs: number,
): Promise<void> {
  const guard = `${path}.takeover`;
  const mine = newBody('takeover');
  if (!(await createExclusive(guard, mine))) {
    const other = await readSnapshot(guard);
    if (other && isStale(other, staleMs)) await removeIfUnchanged(guard, other.text, staleMs);
    return;
  }
  try {
    const now = await readSnapshot(path);
    // `recursive` clears the `.takeover` folder an older version used as its guard.
    if (now && now.text === seen) await rm(path, { recursive: true, force: true });
  } finally {
    await removeOwn(guard, mine);
  }
}

/** Deletes `path` if it still holds our `text`: never a lock someone took over from us. */
export async function removeOwn(path: string, text: string): Promise<void> {
  const now = await readSnapshot(path);
  if (now?.text === text) await unlink(path).catch(() => undefined);
}

/** True while process `pid` exists (on this machine), whoever owns it. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return isErrno(err, 'EPERM');
  }
}
