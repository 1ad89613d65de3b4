import { execFile } from 'node:child_process';
import { Mutex } from 'async-mutex';
import type { Logger } from '../log';

/** A git command that exited non-zero (or could not start). */
export class GitError extends Error {
  override name = 'GitError';
  constructor(
    readonly args: string[],
    readonly code: number | string | null,
    readonly stdout: string,
    readonly stderr: string,
  ) {
    // git's own verdict ("fatal: …", "error: …") says more than the hints printed after it.
    const lines = stderr.trim().split('\n').filter(Boolean);
    const why = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines.at(-1) ?? `exit code ${code}`;
    super(`git ${args[0] ?? ''} failed: ${why}`);
  }
}

export interface GitOptions {
  /** The work tree git runs in. */
  cwd: string;
  log: Logger;
  /** A git command running longer is killed (a hung push must not wedge the server). */
  timeoutMs?: number;
}

export interface ExecOptions {
  /** Extra environment variables for this one command (e.g. GIT_INDEX_FILE). */
  env?: Record<string, string>;
}

const DEFAULT_TIMEOUT_MS = 120_000;
const MAX_BUFFER = 16 * 1024 * 1024;
// Never wait for a password prompt or an editor: the server has no terminal.
const NON_INTERACTIVE = { GIT_TERMINAL_PROMPT: '0', GIT_EDITOR: 'true', LC_ALL: 'C' };

/**
 * Runs git through `execFile` (no shell, so no quoting of paths). `serial` runs a sequence
 * of commands while holding the repository's one lock: the seal commit and the puller both
 * touch refs, and git's own lock files would otherwise make one of them fail at random.
 */
export class Git {
  private readonly lock = new Mutex();

  constructor(private readonly options: GitOptions) {}

  get cwd(): string {
    return this.options.cwd;
  }

  /** Runs `fn` after every earlier `serial` call has finished; one at a time, in order. */
  serial<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.runExclusive(fn);
  }

  /** `git <args>`; resolves with trimmed stdout, rejects with a GitError. */
  async run(args: string[], options: ExecOptions = {}): Promise<string> {
    return (await this.exec(args, options)).trimEnd();
  }

  /** `git <args>`; resolves with stdout byte for byte (file contents), rejects with a GitError. */
  output(args: string[]): Promise<string> {
    return this.exec(args, {});
  }

  /** True when `git <args>` exits 0, false when it exits 1 (e.g. `merge-base --is-ancestor`). */
  async test(args: string[]): Promise<boolean> {
    try {
      await this.exec(args, {});
      return true;
    } catch (err) {
      if (err instanceof GitError && err.code === 1) return false;
      throw err;
    }
  }

  private exec(args: string[], options: ExecOptions): Promise<string> {
    this.options.log.debug('git', { args });
    // The child inherits the server's environment (PATH, HOME, credential helpers) plus ours.
    const env = { ...process.env, ...NON_INTERACTIVE, ...options.env };
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        args,
        {
          cwd: this.options.cwd,
          env,
          timeout: this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
          maxBuffer: MAX_BUFFER,
          encoding: 'utf8',
        },
        (err, stdout, stderr) => {
          if (!err) return resolve(stdout);
          const code =
            typeof err.code === 'number' || typeof err.code === 'string' ? err.code : null;
          reject(new GitError(args, err.killed ? 'timeout' : code, stdout, stderr || err.message));
        },
      );
    });
  }
}
