import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/config';
import type { FeedbackItem } from '../../src/contract';
import { makeItem, tempDirs } from '../helpers';
import { pgSuite, pgUnavailable, startCluster, type PgCluster } from './cluster';
import { START } from '../child-server';

const skip = pgUnavailable();
const THRESHOLD = 7;
let cluster: PgCluster;
let dirs: ReturnType<typeof tempDirs>;
const children: ChildProcess[] = [];

beforeAll(() => {
  if (skip) return;
  cluster = startCluster();
  dirs = tempDirs();
});
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  cluster?.destroy();
  dirs?.cleanup();
});

/** A real server process on the shared database; resolves with its base URL once listening. */
function startReplica(name: string): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [START], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      PORT: '0',
      STORE: 'postgres',
      DATABASE_URL: cluster.url,
      DATA_DIR: join(dirs.root, `${name}-new_data`),
      MODELS_DIR: dirs.models,
      RETRAIN_DRIVER: 'none',
      RETRAIN_THRESHOLD: String(THRESHOLD),
      RATE_LIMIT_PER_MIN: '0',
      LOG_LEVEL: 'info',
      WEB_DIST: join(dirs.root, 'no-web'),
    },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      // Every line is checked: the connection string must never be logged.
      if (out.includes(cluster.url)) reject(new Error('DATABASE_URL was logged'));
      const m = /"url":"(http:\/\/[^"]+)"/.exec(out);
      if (m) resolve({ base: m[1]!, child });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}

async function post(base: string, items: FeedbackItem[]): Promise<number> {
  const res = await fetch(`${base}/api/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ items }),
  });
  await res.arrayBuffer();
  return res.status;
}

describe.skipIf(skip)(pgSuite('replicas as processes'), () => {
  it('keeps every acknowledged id exactly once when one replica is SIGKILLed mid-stream', async () => {
    const [a, b] = await Promise.all([startReplica('a'), startReplica('b')]);
    const batches = Array.from({ length: 40 }, () => Array.from({ length: 5 }, () => makeItem()));
    const acked = new Set<string>();
    const sendAll = async (base: string, list: FeedbackItem[][], onAck?: (n: number) => void) => {
      let n = 0;
      for (const items of list) {
        const ok = await post(base, items).then(
          (s) => s === 200,
          () => false, // the connection died with the replica: not acknowledged
        );
        if (!ok) continue;
        for (const it of items) acked.add(it.id);
        onAck?.(++n);
      }
    };
    // A takes the first half, B the second; A dies after its 10th answer, its requests in
    // flight then fail. Like the app's outbox, the client resends A's share to B.
    await Promise.all([
      sendAll(a.base, batches.slice(0, 20), (n) => n === 10 && a.child.kill('SIGKILL')),
      sendAll(b.base, batches.slice(20)),
    ]);
    await sendAll(b.base, batches.slice(0, 20));
    expect(acked.size).toBe(200);

    const client = new pg.Client({ connectionString: cluster.url });
    await client.connect();
    const ids = await client.query<{ id: string; n: string }>(
      'SELECT id, count(*) AS n FROM feedback_items GROUP BY id',
    );
    const sizes = await client.query<{ n: string }>(
      'SELECT count(*) AS n FROM feedback_items GROUP BY subset_index ORDER BY subset_index',
    );
    await client.end();
    expect(ids.rows.every((r) => r.n === '1')).toBe(true);
    expect(new Set(ids.rows.map((r) => r.id))).toEqual(acked);
    // 200 answers, 7 per subset: 28 full subsets and 4 in the open one.
    expect(sizes.rows.map((r) => Number(r.n))).toEqual([...Array(28).fill(7), 4]);
    const status = (await (await fetch(`${b.base}/api/status`)).json()) as object;
    expect(status).toMatchObject({ feedback: { total: 200, sealedSubsets: 28 } });
  });
});
