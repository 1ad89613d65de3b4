import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../src/config';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');

/**
 * Starts the real server (`src/main.ts`) in a child process on a free port with `env` over
 * this process's; resolves with its base URL once it listens. The caller kills it.
 */
export function startChildServer(
  env: Record<string, string>,
): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
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
