// The `replicas` case of `npm run bench -w sync-server`: durable items/s at batches of 50 for
// the file store, PostgreSQL with one replica and PostgreSQL with two, in the same run, each a
// real server process against a real PostgreSQL cluster of its own (the tests' helper).
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { onStop } from '../scripts/scratch';
import { pgUnavailable, startCluster } from '../test/pg/cluster';
import type { Row } from './run';

const BATCH = 50;

/** What the case needs of the bench runner (it owns ports, children and autocannon). */
export interface ReplicaBenchDeps {
  freePort(): Promise<number>;
  startChild(env: Record<string, string>, port: number): Promise<ChildProcess>;
  load(url: string, batch: number, label: string, connections?: number): Promise<Row>;
  storedTotal(port: number): Promise<number>;
  seconds: number;
  connections: number;
}

/** The three rows, or none (with why) when no PostgreSQL is installed. */
export async function replicaRows(deps: ReplicaBenchDeps, root: string): Promise<Row[]> {
  const why = pgUnavailable();
  if (why) {
    process.stderr.write(`bench: replicas case skipped: ${why}\n`);
    return [];
  }
  // fsync on: a 200 from either store means the items survive a power loss.
  const cluster = startCluster({ durable: true });
  const children: ChildProcess[] = [];
  // Stopped mid-run: pg_ctl runs the cluster apart from this process, so it would outlive it.
  const forget = onStop(() => {
    children.forEach((c) => c.kill('SIGTERM'));
    cluster.destroy();
  });
  const server = async (name: string, env: Record<string, string>) => {
    const port = await deps.freePort();
    const base = {
      PORT: String(port),
      DATA_DIR: join(root, `${name}-new_data`),
      MODELS_DIR: join(root, 'models'),
      RETRAIN_DRIVER: 'none',
      RATE_LIMIT_PER_MIN: '0',
      // Screening on in every store, at the defaults: each request carries its own clientId
      // (run.ts), so the quota (counted per client) and burst counts run without refusing.
      CLIENT_QUOTA_PER_DAY: '500',
      BURST_PER_HOUR: '60',
      LOG_LEVEL: 'warn',
      UV_THREADPOOL_SIZE: '64',
    };
    children.push(await deps.startChild({ ...base, ...env }, port));
    return port;
  };
  try {
    const rows: Row[] = [];
    const fs = await server('fs', {});
    rows.push(await measure(deps, [fs], 'POST /api/feedback, fs, screened'));
    const one = cluster.createDatabase('bench_one');
    const pg1 = await server('pg1', { STORE: 'postgres', DATABASE_URL: one });
    rows.push(await measure(deps, [pg1], 'POST /api/feedback, postgres, 1 replica, screened'));
    const two = cluster.createDatabase('bench_two');
    const pg2 = [
      await server('pg2a', { STORE: 'postgres', DATABASE_URL: two }),
      await server('pg2b', { STORE: 'postgres', DATABASE_URL: two }),
    ];
    rows.push(await measure(deps, pg2, 'POST /api/feedback, postgres, 2 replicas, screened'));
    return rows;
  } finally {
    forget();
    for (const c of children) c.kill('SIGTERM');
    await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
    cluster.destroy();
  }
}

// The same connections in all, split over the replicas (as a balancer would); items/s from
// what the database reports stored; latency of the slower replica.
async function measure(deps: ReplicaBenchDeps, ports: number[], label: string): Promise<Row> {
  const before = await deps.storedTotal(ports[0]!);
  const per = Math.max(1, Math.round(deps.connections / ports.length));
  const runs = await Promise.all(
    ports.map((p) => deps.load(`http://127.0.0.1:${p}/api/feedback`, BATCH, label, per)),
  );
  const stored = (await deps.storedTotal(ports[0]!)) - before;
  return {
    target: label,
    batch: BATCH,
    itemsPerSec: Math.round(stored / deps.seconds),
    reqPerSec: runs.reduce((n, r) => n + r.reqPerSec, 0),
    p50: Math.max(...runs.map((r) => r.p50)),
    p99: Math.max(...runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
  };
}
