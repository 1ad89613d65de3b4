import { readdir, unlink } from 'node:fs/promises';
import { isAbsolute, join, posix, resolve } from 'node:path';
import { REVIEW_FILE, subsetDirName } from '../contract';
import type { Logger } from '../log';
import { TEMP_SUFFIX } from '../registry';
import { GitError, type Git } from './git';

/** Pushes raced by another push (the workflow's) are rebuilt on the new tip this often. */
const MAX_RACES = 3;

export interface PushSubsetsOptions {
  git: Git;
  log: Logger;
  remote: string;
  branch: string;
  /** Absolute `new_data/`. */
  dataDir: string;
  /** `new_data/` and `models/` relative to the work tree, with forward slashes. */
  dataPath: string;
  modelsPath: string;
  /** Sealed subsets that must be on the remote branch. */
  indices: number[];
  /** `-c user.name=… -c user.email=…` when git has no identity configured, else []. */
  identityArgs: string[];
}

export interface PushResult {
  /** The commit pushed, or null when the remote already held every subset as is. */
  commit: string | null;
  /** Subsets the commit added or changed. */
  subsets: number[];
  /**
   * The remote has feedback committed after its last `models/` commit: the workflow's
   * "Anything new" step will train rather than stop (the same test, run here).
   */
  untrained: boolean;
}

/**
 * Makes the remote branch hold the sealed subsets: one commit on top of the remote's tip
 * that adds exactly their files, then a fast-forward push. The commit is built in a private
 * index (GIT_INDEX_FILE), so HEAD, the real index and the work tree are never touched: the
 * server keeps writing `new_data/` meanwhile, and nothing else in the tree is committed.
 * Idempotent: run again after a half-done attempt, it pushes only what is missing.
 */
export function pushSealedSubsets(options: PushSubsetsOptions): Promise<PushResult> {
  const { git } = options;
  return git.serial(async () => {
    const indexFile = await git.run(['rev-parse', '--git-path', 'sync-server-subsets.index']);
    const env = { GIT_INDEX_FILE: isAbsolute(indexFile) ? indexFile : resolve(git.cwd, indexFile) };
    try {
      for (let race = 0; ; race++) {
        const tip = await fetchTip(git, options.remote, options.branch);
        const built = await buildCommit(options, tip, env);
        if (!built) return { commit: null, subsets: [], untrained: await untrained(options, tip) };
        const pushed = await push(git, options, built.commit);
        if (pushed) return { ...built, untrained: true };
        if (race + 1 >= MAX_RACES) throw new Error(`push raced ${MAX_RACES} times; giving up`);
        options.log.info('push raced another push; rebuilding on the new tip', { race });
      }
    } finally {
      await unlink(env.GIT_INDEX_FILE).catch(() => undefined);
    }
  });
}

// Mirrors retrain.yml's check step: the newest commit touching new_data/ is not already
// behind the newest commit touching models/.
async function untrained(options: PushSubsetsOptions, tip: string): Promise<boolean> {
  const { git } = options;
  const last = (path: string) => git.run(['log', '-1', '--format=%H', tip, '--', path]);
  const data = await last(options.dataPath);
  const models = await last(options.modelsPath);
  if (!data) return false;
  return !models || !(await git.test(['merge-base', '--is-ancestor', data, models]));
}

/** Fetches the branch into `refs/remotes/<remote>/<branch>` and returns its commit. */
export async function fetchTip(git: Git, remote: string, branch: string): Promise<string> {
  const tracking = `refs/remotes/${remote}/${branch}`;
  await git.run(['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:${tracking}`]);
  return git.run(['rev-parse', '--verify', `${tracking}^{commit}`]);
}

async function buildCommit(
  options: PushSubsetsOptions,
  tip: string,
  env: Record<string, string>,
): Promise<{ commit: string; subsets: number[] } | null> {
  const { git } = options;
  await git.run(['read-tree', tip], { env });
  const files = await subsetFiles(options);
  if (files.length > 0) await git.run(['add', '-f', '--', ...files], { env });
  const tree = await git.run(['write-tree'], { env });
  if (tree === (await git.run(['rev-parse', `${tip}^{tree}`]))) return null;
  const changed = await git.run(['diff-index', '--cached', '--name-only', tip], { env });
  const subsets = subsetsIn(changed.split('\n'), options.dataPath);
  const samples = changed.split('\n').filter((p) => p.endsWith('.png')).length;
  const names = subsets.map(subsetDirName).join(', ');
  const reviewed = changed.split('\n').includes(posix.join(options.dataPath, REVIEW_FILE));
  const title =
    subsets.length === 0
      ? 'new_data: update review decisions'
      : `new_data: add sealed ${subsets.length === 1 ? 'subset' : 'subsets'} ${names} ` +
        `(${samples} ${samples === 1 ? 'sample' : 'samples'})${reviewed ? ' and review decisions' : ''}`;
  const message =
    `${title}\n\n` +
    'Pushed by the sync server (RETRAIN_DRIVER=github); the retrain workflow trains on it.\n';
  const args = [...options.identityArgs, 'commit-tree', tree, '-p', tip, '-m', message];
  return { commit: await git.run(args), subsets };
}

// Every finished file of each subset, and review.jsonl (the decisions the workflow's trainer
// must see: every delivery carries the latest); a writer's temp files never go into a commit.
async function subsetFiles(options: PushSubsetsOptions): Promise<string[]> {
  const files: string[] = [];
  const review = await readdir(options.dataDir).then(
    (n) => n.includes(REVIEW_FILE),
    () => false,
  );
  if (review) files.push(posix.join(options.dataPath, REVIEW_FILE));
  for (const index of options.indices) {
    const dir = subsetDirName(index);
    const names = await readdir(join(options.dataDir, dir)).catch(() => [] as string[]);
    for (const name of names.sort()) {
      if (name.startsWith('.') || name.endsWith(TEMP_SUFFIX)) continue;
      files.push(posix.join(options.dataPath, dir, name));
    }
  }
  return files;
}

function subsetsIn(paths: string[], dataPath: string): number[] {
  const found = new Set<number>();
  for (const p of paths) {
    const m = /^sub_set_(\d+)\//.exec(posix.relative(dataPath, p));
    if (m) found.add(Number(m[1]));
  }
  return [...found].sort((a, b) => a - b);
}

// True when pushed; false when the remote moved on since the fetch (rebuild and try again).
async function push(git: Git, options: PushSubsetsOptions, commit: string): Promise<boolean> {
  try {
    await git.run([
      'push',
      '--porcelain',
      options.remote,
      `${commit}:refs/heads/${options.branch}`,
    ]);
    return true;
  } catch (err) {
    if (
      err instanceof GitError &&
      /\[rejected\]|non-fast-forward|fetch first/.test(err.stdout + err.stderr)
    )
      return false;
    throw err;
  }
}
