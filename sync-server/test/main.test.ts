import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../src/config';
import { makeItem, tempDirs } from './helpers';

const MAIN = join(import.meta.dirname, '..', 'src', 'main.ts');
const dirs = tempDirs();
afterAll(() => dirs.cleanup());

function run(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
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
  return { child, exited, out: () => stdout, err: () => stderr };
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
    let base = '';
    for (let i = 0; i < 2400 && !base; i++) {
      base = /"url":"(http:\/\/[^"]+)"/.exec(p.out())?.[1] ?? '';
      await new Promise((r) => setTimeout(r, 25));
    }
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
    await new Promise((r) => setTimeout(r, 5));
    p.child.kill('SIGTERM');
    const statuses = await Promise.all(answers);
    expect(await p.exited).toBe(0);
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
  }, 90_000);
});
