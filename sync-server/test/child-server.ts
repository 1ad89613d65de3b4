import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { REPO_ROOT } from '../src/config';
import type { tempDirs } from './helpers';

/** What `npm start -w sync-server` runs: `src/main.ts`, bundled (`scripts/start.mjs`). */
export const START = join(import.meta.dirname, '..', 'scripts', 'start.mjs');

/**
 * Starts the real server as `npm start` does, in a child process on a free port with `env` over
 * this process's; resolves with its base URL once it listens. The caller kills it.
 */
export function startChildServer(
  env: Record<string, string>,
): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [START], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'info', ...env },
  });
  return new Promise((resolve, reject) => {
    let out: string | null = '';
    child.stdout!.on('data', (d: Buffer) => {
      if (out === null) return;
      out += d;
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (!m) return;
      out = null;
      resolve({ base: m[1]!, child });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

/**
 * The servers of a crash test on `dirs`: each call starts the real server there with no
 * retrain driver, no rate limit and no quota (every request comes from one address, and a
 * quota would refuse most items), and `env` over that. Every one still running is SIGKILLed,
 * and `dirs` removed, after the file's tests.
 */
export function crashTestServers(
  dirs: ReturnType<typeof tempDirs>,
  env: Record<string, string> = {},
): () => Promise<{ base: string; child: ChildProcess }> {
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    dirs.cleanup();
  });
  return async () => {
    const live = await startChildServer({
      DATA_DIR: dirs.data,
      MODELS_DIR: dirs.models,
      RETRAIN_DRIVER: 'none',
      RATE_LIMIT_PER_MIN: '0',
      CLIENT_QUOTA_PER_DAY: '0',
      WEB_DIST: join(dirs.root, 'no-web'),
      ...env,
    });
    children.push(live.child);
    return live;
  };
}
