import { posix } from 'node:path';
import type { Logger } from '../log';
import { withRetrainLock } from '../registry';
import type { Git } from './git';
import { pullHeldBack } from './held-back-pull';
import { fetchTip } from './subset-push';

export interface PullerOptions {
  git: Git;
  log: Logger;
  remote: string;
  branch: string;
  /** Absolute `models/`: its lock keeps a pull and an admin rollback apart. */
  modelsDir: string;
  /** `models/` relative to the work tree, with forward slashes. */
  modelsPath: string;
  /** `new_data/` relative to the work tree, with forward slashes. */
  dataPath: string;
  /** Between pulls; 0 = only on demand. */
  intervalMs: number;
  /** After `models/` changed on disk (the manifest store reloads). */
  onUpdated?: () => void | Promise<void>;
  onPulled?: (result: PullResult) => void;
}

/** `fast-forward`: HEAD moved to the remote; `models-only`: only `models/` was copied. */
export type PullResult =
  | { outcome: 'unchanged' }
  | { outcome: 'fast-forward' | 'models-only'; commit: string }
  | { outcome: 'failed'; reason: string };

/**
 * Brings the models the workflow pushed into the served `models/`. Every `intervalMs` it
 * fetches the branch; when the remote's `models/` differs from what was last applied it
 * fast-forwards HEAD if that is provably safe, else copies `models/` alone. Either way a
 * pull writes nothing under `new_data/` that is not already there byte for byte, so local
 * feedback is never overwritten.
 */
export class Puller {
  private timer: NodeJS.Timeout | null = null;
  /** Tree of `models/` last applied; a local rollback survives until the remote changes. */
  private applied: string | null = null;
  private inFlight: Promise<PullResult> | null = null;

  constructor(private readonly options: PullerOptions) {}

  /** Pulls now (a restarted server catches up at once), then every `intervalMs`. */
  start(): void {
    if (this.options.intervalMs <= 0 || this.timer) return;
    void this.pull();
    this.timer = setInterval(() => void this.pull(), this.options.intervalMs);
    this.timer.unref();
  }

  /** No more interval pulls; resolves when a running one has finished. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.inFlight;
  }

  /**
   * One fetch-and-apply; never throws (a failure is logged and returned). A call while one
   * runs shares it, so a slow remote never piles up pulls behind the interval.
   */
  pull(): Promise<PullResult> {
    this.inFlight ??= this.pullOnce().finally(() => (this.inFlight = null));
    return this.inFlight;
  }

  private async pullOnce(): Promise<PullResult> {
    let result: PullResult;
    try {
      result = await this.options.git.serial(() => this.pullLocked());
    } catch (err) {
      result = { outcome: 'failed', reason: err instanceof Error ? err.message : String(err) };
      this.options.log.warn('pull failed', { reason: result.reason });
    }
    if (result.outcome !== 'unchanged' && result.outcome !== 'failed') {
      this.options.log.info('pulled new models', result);
      await this.options.onUpdated?.();
    }
    this.options.onPulled?.(result);
    return result;
  }

  private async pullLocked(): Promise<PullResult> {
    const { git, modelsPath } = this.options;
    const tip = await fetchTip(git, this.options.remote, this.options.branch);
    // Before the fast-forward check, which needs every incoming new_data/ file on disk.
    await pullHeldBack(git, tip, this.options.dataPath, this.options.log);
    const remoteModels = await treeOf(git, tip, modelsPath);
    this.applied ??= await treeOf(git, 'HEAD', modelsPath);
    if (remoteModels === this.applied) return { outcome: 'unchanged' };
    // Under the models lock, like a rollback: the two never write manifest.json at once.
    const outcome = await withRetrainLock(this.options.modelsDir, async () => {
      if (await this.fastForward(tip)) return 'fast-forward' as const;
      // No-overlay restore: versions the trainer pruned disappear too; nothing outside models/.
      await git.run(['restore', `--source=${tip}`, '--staged', '--worktree', '--', modelsPath]);
      return 'models-only' as const;
    });
    this.applied = remoteModels;
    return { outcome, commit: tip };
  }

  // A real fast-forward only when HEAD is behind the tip and every incoming change is under
  // models/, or is a new_data/ file already on disk with the same bytes (our own pushed
  // subsets). Anything else (code changes, someone else's data) is left for a human.
  private async fastForward(tip: string): Promise<boolean> {
    const { git, modelsPath, dataPath } = this.options;
    if (!(await git.test(['merge-base', '--is-ancestor', 'HEAD', tip]))) return false;
    const diff = await git.run(['diff', '--name-status', '--no-renames', '-z', 'HEAD', tip]);
    const fields = diff.split('\0').filter(Boolean);
    const data: string[] = [];
    for (let i = 0; i + 1 < fields.length; i += 2) {
      const [status, path] = [fields[i]!, fields[i + 1]!];
      if (isUnder(path, modelsPath)) continue;
      if (!isUnder(path, dataPath) || status === 'D') return false;
      data.push(path);
    }
    if (!(await sameOnDisk(git, tip, data))) return false;
    try {
      await git.run(['merge', '--ff-only', '--quiet', tip]);
      return true;
    } catch (err) {
      // e.g. a local rollback left models/manifest.json modified: the remote's models win.
      this.options.log.info('fast-forward refused; copying models/ only', {
        reason: err instanceof Error ? err.message : String(err),
      });
      return false;
    }
  }
}

async function treeOf(git: Git, commit: string, path: string): Promise<string> {
  return git.run(['rev-parse', '--verify', '--quiet', `${commit}:${path}`]).catch(() => 'absent');
}

const isUnder = (path: string, dir: string) => path.startsWith(`${posix.normalize(dir)}/`);

// Each path's blob in `tip` equals the file on disk (hashed the way git would store it).
async function sameOnDisk(git: Git, tip: string, paths: string[]): Promise<boolean> {
  if (paths.length === 0) return true;
  let local: string[];
  try {
    local = (await git.run(['hash-object', '--', ...paths])).split('\n');
  } catch {
    return false; // a file is missing locally: fast-forwarding would create it
  }
  const remote = await git.run(['rev-parse', ...paths.map((p) => `${tip}:${p}`)]);
  return remote.split('\n').every((sha, i) => sha === local[i]);
}
