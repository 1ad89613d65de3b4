import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config';
import { makeItem, tempDirs } from './helpers';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');
const dirs = tempDirs();
afterAll(() => dirs.cleanup());

interface Proc {
  child: ChildProcess;
  exited: Promise<number | null>;
  out: () => string;
  err: () => string;
}
// Killed at the end if a failed test left one running.
const children: Proc[] = [];
afterAll(() => children.forEach((p) => p.child.exitCode === null && p.child.kill('SIGKILL')));

function run(env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Only what the test sets: a HOST, LOG_LEVEL or GITHUB_TOKEN from the caller's shell
    // must not change what the server does or prints (a LOG_LEVEL of warn hides its URL).
    env: {
      PATH: process.env.PATH ?? '',
      ...(process.env.TMPDIR ? { TMPDIR: process.env.TMPDIR } : {}),
      DATA_DIR: dirs.data,
      MODELS_DIR: dirs.models,
      RETRAIN_DRIVER: 'none',
      ...env,
    },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d));
  child.stderr.on('data', (d: Buffer) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const proc = { child, exited, out: () => stdout, err: () => stderr };
  children.push(proc);
  return proc;
}

/** What the server printed, for a failure message. */
const printed = (p: Proc) => `stdout:\n${p.out()}\nstderr:\n${p.err()}`;

/** The server's base URL once it logs it; fails at once, with its output, if it exits first. */
async function listening(p: Proc, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const url = /"url":"(http:\/\/[^"]+)"/.exec(p.out())?.[1];
    if (url) return url;
    if (p.child.exitCode !== null) throw new Error(`server exited before listening\n${printed(p)}`);
    if (Date.now() > deadline)
      throw new Error(`server not listening after ${timeoutMs} ms\n${printed(p)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The exit code, or a failure naming what the server printed when it does not exit in time. */
async function exitCode(p: Proc, timeoutMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`server still running ${timeoutMs} ms after SIGTERM\n${printed(p)}`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([p.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

describe('main', () => {
  it('stops a bad start with one line naming the variable', async () => {
    const p = run({ RETRAIN_THRESHOLD: 'ten' });
    expect(await p.exited).toBe(1);
    expect(p.err().trim().split('\n')).toEqual([
      'sync-server: bad environment variable RETRAIN_THRESHOLD: must be a whole number 1-1000000, got "ten"',
    ]);
  }, 90_000);

  it('shuts down on SIGTERM after finishing the writes in flight', async () => {
    const p = run({ PORT: '0', RATE_LIMIT_PER_MIN: '0' });
    const base = await listening(p, 40_000);
    const batches = Array.from({ length: 20 }, () => Array.from({ length: 20 }, () => makeItem()));
    // The server must answer or drop every request within its 15 s grace: a request still
    // open after 30 s is a hang, reported as -1 rather than left to the test's timeout.
    const answers = batches.map((items) =>
      fetch(`${base}/api/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items }),
        signal: AbortSignal.timeout(30_000),
      }).then(
        (r) => r.status,
        (e: unknown) => (e instanceof DOMException && e.name === 'TimeoutError' ? -1 : 0),
      ),
    );
    await new Promise((r) => setTimeout(r, 5));
    p.child.kill('SIGTERM');
    const statuses = await Promise.all(answers);
    expect(statuses.includes(-1), `a request hung\n${printed(p)}`).toBe(false);
    expect(await exitCode(p, 20_000), printed(p)).toBe(0);
    expect(p.out()).toMatch(/"msg":"shutting down","signal":"SIGTERM"/);
    // Every acknowledged batch is on disk; none half-written.
    const stored = new Set<string>();
    for (const s of readdirSync(dirs.data).filter((d) => d.startsWith('sub_set_'))) {
      const meta = JSON.parse(readFileSync(join(dirs.data, s, 'metadata.json'), 'utf8'));
      for (const e of meta) stored.add(e.id);
    }
    batches.forEach((items, i) => {
      if (statuses[i] === 200) expect(items.every((it) => stored.has(it.id))).toBe(true);
    });
    expect(statuses.filter((s) => s === 200).length * 20).toBe(stored.size);
  }, 120_000);
});
