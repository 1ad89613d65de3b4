import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { V1, writeManifest } from './helpers';

const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
/**
 * Per-test limit for tests that run many git commands: they take a second or two, but the
 * shared machine can be loaded enough to stretch that well past vitest's 5 s default.
 */
export const GIT_TEST_TIMEOUT_MS = 60_000;

const SEED_IDENTITY = ['-c', 'user.name=seed', '-c', 'user.email=seed@example.test'];

/** `git <args>` in `cwd`, synchronously; returns trimmed stdout. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).trim();
}

export interface GitRemoteFixture {
  /** Temp folder holding everything. */
  root: string;
  /** The bare repository standing in for GitHub's. */
  bare: string;
  /** The server's clone, and its `new_data/` and `models/`. */
  server: string;
  data: string;
  models: string;
  /** Another clone of the remote (a CI runner, a developer), with its own identity. */
  clone: (name: string) => string;
  cleanup: () => void;
}

/**
 * A bare repo on `main` seeded like the real one (the real `.github/`, new_data/.gitignore +
 * count.json, a models/ manifest naming `versions` or a copy of `modelsFrom`), and the server's
 * clone of it (`origin`).
 */
export function gitRemoteFixture(
  versions: string[] = [V1],
  options: { modelsFrom?: string } = {},
): GitRemoteFixture {
  const root = mkdtempSync(join(tmpdir(), 'sync-server-git-'));
  const bare = join(root, 'remote.git');
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bare);
  const seed = join(root, 'seed');
  git(root, 'init', '--quiet', '--initial-branch=main', seed);
  mkdirSync(join(seed, 'new_data'));
  writeFileSync(
    join(seed, 'new_data/.gitignore'),
    'sub_set_*/\nreview.jsonl\ndisputed.jsonl\n*.tmp\n',
  );
  writeFileSync(join(seed, 'new_data/count.json'), '{"current_count": 0, "sub_set_count": 0}\n');
  writeFileSync(join(seed, 'README.md'), 'seed\n');
  cpSync(join(REPO_ROOT, '.github'), join(seed, '.github'), { recursive: true });
  // A real models/ folder (a trained base model) for runs of the real trainer.
  if (options.modelsFrom) cpSync(options.modelsFrom, join(seed, 'models'), { recursive: true });
  else writeManifest(join(seed, 'models'), versions, versions[0]!);
  git(seed, 'add', '-A');
  git(seed, ...SEED_IDENTITY, 'commit', '--quiet', '-m', 'seed');
  git(seed, 'push', '--quiet', bare, 'main');
  const clone = (name: string) => {
    const dir = join(root, name);
    git(root, 'clone', '--quiet', bare, dir);
    git(dir, 'config', 'user.name', name);
    git(dir, 'config', 'user.email', `${name}@example.test`);
    return dir;
  };
  const server = join(root, 'server');
  git(root, 'clone', '--quiet', bare, server);
  return {
    root,
    bare,
    server,
    data: join(server, 'new_data'),
    models: join(server, 'models'),
    clone,
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
}
