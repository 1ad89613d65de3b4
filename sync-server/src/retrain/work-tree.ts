import { realpath } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { Logger } from '../log';
import { Git, GitError } from './git';

/** The git work tree holding `new_data/` and `models/`, as the github driver uses it. */
export interface WorkTree {
  root: string;
  /** `new_data/` and `models/` relative to `root`, with forward slashes. */
  dataPath: string;
  modelsPath: string;
  /** `-c user.name=… -c user.email=…` when git has no identity configured, else []. */
  identityArgs: string[];
}

/** Thrown when the folders or the remote do not suit the github driver; says what to fix. */
export class WorkTreeError extends Error {
  override name = 'WorkTreeError';
}

// Only used when the machine has no git identity, so an operator's own is never overridden.
const FALLBACK_IDENTITY = ['-c', 'user.name=sync-server', '-c', 'user.email=sync-server@localhost'];

/** Finds the work tree of `dataDir`, checks `modelsDir` is in it and `remote` exists. */
export async function locateWorkTree(
  options: { dataDir: string; modelsDir: string; remote: string },
  log: Logger,
): Promise<WorkTree> {
  const probe = new Git({ cwd: options.dataDir, log });
  let root: string;
  try {
    root = await realpath(await probe.run(['rev-parse', '--show-toplevel']));
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new WorkTreeError(`RETRAIN_DRIVER=github needs DATA_DIR inside a git work tree (${why})`);
  }
  const dataPath = await inside(root, options.dataDir, 'DATA_DIR');
  const modelsPath = await inside(root, options.modelsDir, 'MODELS_DIR');
  const git = new Git({ cwd: root, log });
  try {
    await git.run(['remote', 'get-url', options.remote]);
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
    throw new WorkTreeError(`GIT_REMOTE ${options.remote} is not a remote of ${root}`);
  }
  const hasIdentity = await git.test(['config', '--get', 'user.email']);
  return { root, dataPath, modelsPath, identityArgs: hasIdentity ? [] : FALLBACK_IDENTITY };
}

async function inside(root: string, dir: string, name: string): Promise<string> {
  const rel = relative(root, await realpath(dir));
  if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) {
    throw new WorkTreeError(
      `RETRAIN_DRIVER=github needs ${name} (${dir}) inside the work tree ${root}`,
    );
  }
  return rel.split(sep).join('/');
}
