import { readFile } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { DISPUTED_FILE } from '../contract';
import type { Logger } from '../log';
import { isErrno, replaceFileAtomic } from '../registry';
import type { Git } from './git';

/**
 * Brings the answers the workflow's trainer held back (`new_data/disputed.jsonl`, which the
 * workflow commits with `models/`) into the served `new_data/`, so the review queue lists
 * them: with the github driver no trainer runs here, and an answer that never reaches the
 * queue could never be accepted. The workflow's trainer is the file's only writer and only
 * appends, so the local copy is replaced (atomically) when it is a prefix of the remote's, an
 * absent file included; a local file that diverged is left alone, with a warning. Once equal,
 * a fast-forward sees the same bytes on disk and may go ahead. Returns true when it copied.
 */
export async function pullHeldBack(
  git: Git,
  tip: string,
  dataPath: string,
  log: Logger,
): Promise<boolean> {
  const inTree = posix.join(dataPath, DISPUTED_FILE);
  let remote: string;
  try {
    remote = await git.output(['cat-file', 'blob', `${tip}:${inTree}`]);
  } catch {
    return false; // not committed (yet): nothing was held back on the remote
  }
  const path = join(git.cwd, dataPath, DISPUTED_FILE);
  const local = await readFile(path, 'utf8').catch((err: unknown) => {
    if (isErrno(err, 'ENOENT')) return '';
    throw err;
  });
  if (local === remote) return false;
  if (!remote.startsWith(local)) {
    log.warn('local disputed.jsonl differs from the remote one; left as it is', { path });
    return false;
  }
  await replaceFileAtomic(path, remote);
  return true;
}
