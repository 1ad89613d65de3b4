import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (web/e2e/../..). */
export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const HEALTH_TIMEOUT_MS = 120_000;
// SIGTERM lets the server finish in-flight requests and stop a trainer run; past this, SIGKILL.
const STOP_GRACE_MS = 10_000;

export interface RunningServer {
  baseUrl: string;
  dataDir: string;
  modelsDir: string;
  tmp: string;
  log: string;
  /** Stops the server (and any trainer it started) and deletes its temp folder. */
  stop(): Promise<void>;
}

export interface ServerOptions {
  /** Where the models to serve are copied from (default: the repo's committed `models/`). */
  modelsFrom?: string;
  /** Changes the private models/ copy before the server starts (e.g. adds a version). */
  prepareModels?: (modelsDir: string) => void;
  env?: Record<string, string>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/**
 * Starts the real sync server (`npm run start -w sync-server`) on private copies of models/
 * and an empty new_data/, and waits until /healthz answers.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const from = options.modelsFrom ?? path.join(REPO, 'models');
  if (!fs.existsSync(path.join(from, 'manifest.json'))) {
    throw new Error(`no model to serve: ${from}/manifest.json is missing (train the base model)`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'digit-e2e-'));
  const modelsDir = path.join(tmp, 'models');
  const dataDir = path.join(tmp, 'new_data');
  fs.cpSync(from, modelsDir, { recursive: true });
  options.prepareModels?.(modelsDir);
  fs.mkdirSync(dataDir);
  const port = await freePort();
  const log = path.join(tmp, 'server.log');
  const out = fs.openSync(log, 'a');
  const child = spawn('npm', ['run', '--silent', 'start', '-w', 'sync-server'], {
    cwd: REPO,
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      MODELS_DIR: modelsDir,
      RATE_LIMIT_PER_MIN: '0',
      ...options.env,
    },
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const group = (name: NodeJS.Signals | 0): boolean => {
    try {
      // The whole group: npm, tsx and node (a trainer run has a group of its own, which the
      // server stops when it gets SIGTERM).
      process.kill(-child.pid!, name);
      return true;
    } catch {
      return false;
    }
  };
  const stop = async () => {
    group('SIGTERM');
    const deadline = Date.now() + STOP_GRACE_MS;
    while (group(0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    group('SIGKILL');
    fs.closeSync(out);
    await fs.promises.rm(tmp, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  };
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      const output = fs.readFileSync(log, 'utf8');
      await stop();
      throw new Error(`server exited ${child.exitCode}:\n${output}`);
    }
    if (
      await fetch(`${baseUrl}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    ) {
      return { baseUrl, dataDir, modelsDir, tmp, log, stop };
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const output = fs.readFileSync(log, 'utf8');
  await stop();
  throw new Error(`server not healthy within ${HEALTH_TIMEOUT_MS} ms:\n${output}`);
}
