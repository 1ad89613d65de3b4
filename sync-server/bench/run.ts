// `npm run bench -w sync-server [-- load|stalled|startup]`: durable feedback ingest over
// loopback, next to a bare Hono echo, then stalled uploads against the default limits, then
// start-up time with an empty store and with 100,000 stored answers. The servers run
// in child processes; this process only generates load (autocannon) and the stalled clients.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { loadConfig, REPO_ROOT } from '../src/config';
import { encodePixels } from '../src/contract';
import { writeManifest } from '../test/helpers';
import { serverBundle } from '../scripts/bundle.mjs';
import { recordRun, watchMachine, type ServerStartupRun } from '../scripts/docs/results';
import { onStop, scratchDir } from '../scripts/scratch';
import { writeResults } from './results';
import { replicaRows } from './replicas';
import { runStalled, stalledReport } from './stalled';
import { timeToHealthy, writeStoredAnswers } from './startup';

const STARTUP_RESULTS = fileURLToPath(new URL('startup.json', import.meta.url));

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;
const CASES = new Set(
  process.argv.slice(2).length ? process.argv.slice(2) : ['load', 'replicas', 'stalled', 'startup'],
);
const STARTUP_STORED = [0, 100_000];
const PIXELS = encodePixels(new Uint8Array(784).map((_, i) => (i * 7) % 256));

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Starts the server as `npm start` does (its bundle, `scripts/start.mjs`) and waits for it. */
async function startChild(env: Record<string, string>, port: number) {
  const child = spawn(process.execPath, ['sync-server/scripts/start.mjs'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ...env },
  });
  for (let i = 0; i < 400; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    if (up) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server on port ${port} did not start`);
}

/**
 * A batch of `n` fresh items: every request carries new ids, so every item is stored. Each
 * request is one app installation syncing (its own clientId), so quotas count per client.
 */
function batchBody(n: number): string {
  const createdAt = new Date().toISOString();
  const clientId = randomUUID();
  const items = Array.from({ length: n }, (_, k) => ({
    clientId,
    id: randomUUID(),
    pixels: PIXELS,
    label: k % 10,
    predicted: (k + 1) % 10,
    confidence: 0.5,
    modelVersion: null,
    createdAt,
  }));
  return JSON.stringify({ items });
}

export interface Row {
  target: string;
  batch: number;
  itemsPerSec: number;
  reqPerSec: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(
  url: string,
  batch: number,
  label: string,
  connections = CONNECTIONS,
): Promise<Row> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections,
    duration: DURATION_S,
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (req) => ({ ...req, body: batchBody(batch) }) }],
  });
  const ok = result['2xx'];
  return {
    target: label,
    batch,
    itemsPerSec: Math.round((ok * batch) / (result.duration || DURATION_S)),
    reqPerSec: Math.round(ok / (result.duration || DURATION_S)),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.non2xx,
  };
}

async function main(): Promise<void> {
  const watch = watchMachine();
  const scratch = await scratchDir('sync-server-bench-');
  const root = scratch.path;
  const children: ChildProcess[] = [];
  // Stopped mid-run: the servers go too (the temp folder is the scratch's own cleanup).
  const forget = onStop(() => children.forEach((c) => c.kill('SIGTERM')));
  try {
    writeManifest(join(root, 'models'), ['2026-11-26T12-00-00-000Z'], '2026-11-26T12-00-00-000Z');
    const serverPort = await freePort();
    const echoPort = await freePort();
    children.push(
      await startChild(
        {
          PORT: String(serverPort),
          DATA_DIR: join(root, 'new_data'),
          MODELS_DIR: join(root, 'models'),
          RETRAIN_DRIVER: 'none',
          RATE_LIMIT_PER_MIN: '0',
          // One address sends every request: a per-client quota would refuse most of them.
          CLIENT_QUOTA_PER_DAY: '0',
          LOG_LEVEL: 'warn',
          // As `npm start` sets it: fsyncs hold libuv threads, 4 would serialize them.
          UV_THREADPOOL_SIZE: '64',
        },
        serverPort,
      ),
    );
    const out: string[] = [machine()];
    const rows: Row[] = [];
    if (CASES.has('load')) {
      children.push(await startEcho(echoPort));
      rows.push(...(await loadRows(serverPort, echoPort)));
    }
    if (CASES.has('replicas')) {
      const deps = {
        freePort,
        startChild,
        load,
        storedTotal,
        seconds: DURATION_S,
        connections: CONNECTIONS,
      };
      rows.push(...(await replicaRows(deps, root)));
    }
    if (rows.length > 0) {
      out.push('', ...report(rows));
      writeResults(rows, watch.done(), DURATION_S, CONNECTIONS);
    }
    if (CASES.has('stalled')) {
      out.push('', ...stalledReport(await runStalled(serverPort), limitsText()));
    }
    if (CASES.has('startup')) out.push('', ...(await startup(root)));
    process.stdout.write(`${out.join('\n')}\n`);
  } finally {
    forget();
    for (const c of children) c.kill('SIGTERM');
    await scratch.remove();
  }
}

async function loadRows(serverPort: number, echoPort: number): Promise<Row[]> {
  const feedback = `http://127.0.0.1:${serverPort}/api/feedback`;
  const echo = `http://127.0.0.1:${echoPort}/echo`;
  const rows: Row[] = [];
  for (const batch of [1, 50]) {
    const before = await storedTotal(serverPort);
    const row = await load(feedback, batch, 'POST /api/feedback (fsync)');
    // The figure that counts: items the server says it stored, not requests answered.
    row.itemsPerSec = Math.round(((await storedTotal(serverPort)) - before) / DURATION_S);
    rows.push(row);
    rows.push(await load(echo, batch, 'bare Hono JSON echo'));
  }
  return rows;
}

// Each size in its own data folder; the first server has stopped before the next one starts.
async function startup(root: string): Promise<string[]> {
  const watch = watchMachine();
  // Every case starts with the bundle current, as every start but the first after a change to
  // the sources does: the first case would otherwise time a build too.
  serverBundle();
  const cases = [];
  for (const stored of STARTUP_STORED) {
    const dataDir = join(root, `startup-${stored}`);
    writeStoredAnswers(dataDir, stored);
    const env = {
      DATA_DIR: dataDir,
      MODELS_DIR: join(root, 'models'),
      RETRAIN_DRIVER: 'none',
      LOG_LEVEL: 'warn',
    };
    const { ms, stop } = await timeToHealthy(env, await freePort());
    await stop();
    cases.push({ stored, healthyMs: Math.round(ms) });
  }
  recordRun<ServerStartupRun>(STARTUP_RESULTS, {
    date: new Date().toISOString(),
    machine: watch.done(),
    cases,
  });
  return [
    'start-up: spawn → healthy /healthz',
    ...cases.map((c) => `  ${c.stored} answers stored: ${c.healthyMs} ms`),
    `written to ${STARTUP_RESULTS}`,
  ];
}

// The server runs with the defaults; the report names them.
function limitsText(): string {
  const l = loadConfig({}).limits;
  return (
    `body ${l.bodyTimeoutMs / 1000} s, headers ${l.headersTimeoutMs / 1000} s, request ` +
    `${l.requestTimeoutMs / 1000} s, ${l.maxBodies} bodies in all, ${l.maxBodiesPerClient} per address`
  );
}

// The echo has no /healthz: wait for it with a POST instead.
async function startEcho(port: number): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'sync-server/bench/echo-server.ts', String(port)],
    {
      cwd: REPO_ROOT,
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 400; i++) {
    const up = await fetch(`http://127.0.0.1:${port}/echo`, { method: 'POST', body: '{}' }).catch(
      () => null,
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('echo server did not start');
}

async function storedTotal(port: number): Promise<number> {
  const s = (await (await fetch(`http://127.0.0.1:${port}/api/status`)).json()) as {
    feedback: { total: number };
  };
  return s.feedback.total;
}

function machine(): string {
  return `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()[0]!.toFixed(1)} at the start`;
}

function report(rows: Row[]): string[] {
  return [
    `feedback ingest: ${DURATION_S} s per run, ${CONNECTIONS} connections, loopback`,
    '',
    '| target | batch | items/s | req/s | p50 ms | p99 ms | errors |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...rows.map(
      (r) =>
        `| ${r.target} | ${r.batch} | ${r.itemsPerSec} | ${r.reqPerSec} | ${r.p50} | ${r.p99} | ${r.errors} |`,
    ),
  ];
}

void main();
