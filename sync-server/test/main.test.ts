import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config';
import { makeItem, tempDirs } from './helpers';
import { connectOutcome, rawClient } from './raw-client';
import { START } from './child-server';

// One data and models folder per server, so each test sees only what it stored.
const made: ReturnType<typeof tempDirs>[] = [];
afterAll(() => made.forEach((d) => d.cleanup()));

interface Proc {
  child: ChildProcess;
  exited: Promise<number | null>;
  out: () => string;
  err: () => string;
  /** Its new_data/ folder. */
  data: string;
}
// Killed at the end if a failed test left one running.
const children: Proc[] = [];
afterAll(() => children.forEach((p) => p.child.exitCode === null && p.child.kill('SIGKILL')));

function run(env: Record<string, string>): Proc {
  const dirs = tempDirs();
  made.push(dirs);
  const child = spawn(process.execPath, [START], {
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
  const proc = { child, exited, out: () => stdout, err: () => stderr, data: dirs.data };
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

  it('answers a request held in flight across SIGTERM, refuses new ones, then exits 0', async () => {
    const p = run({ PORT: '0', RATE_LIMIT_PER_MIN: '0', CLIENT_QUOTA_PER_DAY: '0' });
    const base = await listening(p, 40_000);
    const { port } = new URL(base);
    const c = rawClient(Number(port));
    // One answered request proves the server holds this connection.
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.responses(1);
    // The barrier: headers and half the body now, the rest only once shutdown has begun.
    const items = Array.from({ length: 5 }, () => makeItem());
    const body = JSON.stringify({ items });
    const half = Math.floor(body.length / 2);
    c.socket.write(
      'POST /api/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, half)}`,
    );
    p.child.kill('SIGTERM');
    await printedLine(p, /"msg":"shutting down","signal":"SIGTERM"/);
    expect(await connectOutcome(Number(port))).toBe('ECONNREFUSED');
    c.socket.write(body.slice(half));
    const answer = await c.responses(2);
    const second = answer.slice(answer.lastIndexOf('HTTP/1.1 '));
    expect(second, printed(p)).toMatch(/^HTTP\/1\.1 200/);
    expect(second.toLowerCase()).toContain('connection: close');
    expect(JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4))).toMatchObject({
      accepted: 5,
    });
    await c.ended;
    expect(await exitCode(p, 20_000), printed(p)).toBe(0);
    const stored = storedIds(p.data);
    expect(items.every((it) => stored.has(it.id))).toBe(true);
  }, 120_000);

  it('cuts a stalled upload at SHUTDOWN_TIMEOUT_S and still exits 0', async () => {
    const p = run({ PORT: '0', SHUTDOWN_TIMEOUT_S: '1' });
    const base = await listening(p, 40_000);
    const c = rawClient(Number(new URL(base).port));
    c.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await c.responses(1);
    // A body that never comes: only the deadline ends this request.
    c.socket.write(
      'POST /api/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
        'Content-Length: 1000\r\n\r\n{"items":[',
    );
    p.child.kill('SIGTERM');
    await c.ended;
    expect(await exitCode(p, 20_000), printed(p)).toBe(0);
    expect(p.out()).toMatch(/"msg":"shutdown deadline passed/);
  }, 120_000);

  it('answers or closes every request sent around SIGTERM; none hangs', async () => {
    const p = run({ PORT: '0', RATE_LIMIT_PER_MIN: '0', CLIENT_QUOTA_PER_DAY: '0' });
    const base = await listening(p, 40_000);
    const batches = Array.from({ length: 20 }, () => Array.from({ length: 20 }, () => makeItem()));
    const answers = batches.map((items) =>
      fetch(`${base}/api/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items }),
      }).then(
        (r) => r.status,
        () => 0,
      ),
    );
    p.child.kill('SIGTERM');
    expect(await exitCode(p, 20_000), printed(p)).toBe(0);
    // The process is gone, so the kernel has closed every connection it held: a request
    // still pending now is a hang.
    const statuses = await settledAfterExit(answers, 30_000);
    for (const s of statuses) expect([0, 200, 503], printed(p)).toContain(s);
    // Every acknowledged batch is on disk; none half-written.
    const stored = storedIds(p.data);
    batches.forEach((items, i) => {
      if (statuses[i] === 200) expect(items.every((it) => stored.has(it.id))).toBe(true);
    });
    expect(statuses.filter((s) => s === 200).length * 20).toBe(stored.size);
  }, 120_000);
});

/** Every id stored in the test's data folder. */
function storedIds(data: string): Set<string> {
  const stored = new Set<string>();
  for (const s of readdirSync(data).filter((d) => d.startsWith('sub_set_'))) {
    const meta = JSON.parse(readFileSync(join(data, s, 'metadata.json'), 'utf8'));
    for (const e of meta) stored.add(e.id);
  }
  return stored;
}

/** Waits until the server has printed a line matching `pattern` (or exits without it). */
async function printedLine(p: Proc, pattern: RegExp): Promise<void> {
  while (!pattern.test(p.out())) {
    if (p.child.exitCode !== null) throw new Error(`server exited first\n${printed(p)}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** All answers, or a failure naming how many are still pending `ms` after the exit. */
async function settledAfterExit(answers: Promise<number>[], ms: number): Promise<number[]> {
  let pending = answers.length;
  for (const a of answers) void a.finally(() => pending--);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${pending} requests still unanswered ${ms} ms after exit`)),
      ms,
    );
  });
  try {
    return await Promise.race([Promise.all(answers), late]);
  } finally {
    clearTimeout(timer);
  }
}
