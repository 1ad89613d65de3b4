import { spawn } from 'node:child_process';
import { retrainResultLineSchema } from '../contract';
import type { Logger } from '../log';
import { CoalescingRunner, type RunResult } from './coalescing-runner';
import type { FinishedRun, RetrainDriver } from './driver';

const TAIL_BYTES = 64 * 1024;
const STDERR_LINES = 20;
/** A run longer than this is killed and counted failed, so a hung trainer cannot wedge us. */
export const DEFAULT_RETRAIN_TIMEOUT_MS = 2 * 60 * 60 * 1000;

export interface LocalDriverOptions {
  /** argv[0] and the rest, e.g. `npm run --silent retrain -w trainer -- --data-dir …`. */
  command: string[];
  cwd: string;
  log: Logger;
  timeoutMs?: number;
  onFinished?: (run: FinishedRun) => void;
  /**
   * Sealed subsets no model has trained on yet (see `pendingSeals`): a run stopped by a
   * shutdown is owed, so one is requested at once when this is not empty.
   */
  pendingAtStart?: number[];
}

/** The trainer command the `local` driver runs (trainer/README.md lists its flags). */
export function trainerCommand(dataDir: string, modelsDir: string): string[] {
  const args = ['run', '--silent', 'retrain', '-w', 'trainer', '--'];
  return ['npm', ...args, '--data-dir', dataDir, '--models-dir', modelsDir];
}

/** `local`: runs the trainer CLI as a child process, one run at a time. */
export function createLocalDriver(options: LocalDriverOptions): RetrainDriver {
  const log = options.log.child({ driver: 'local' });
  const runner = new CoalescingRunner({
    log,
    onFinished: options.onFinished,
    run: (signal) => runTrainer(options, log, signal),
  });
  const pending = options.pendingAtStart ?? [];
  if (pending.length > 0) runner.request(`resuming sealed subset ${pending.join(', ')}`);
  return {
    name: 'local',
    onSealed: (indices) => runner.request(`sealed subset ${indices.join(', ')}`),
    requestRun: (reason) => (runner.request(reason), true),
    status: () => ({ state: runner.state(), lastRun: runner.lastRun() }),
    close: () => runner.close(),
  };
}

function runTrainer(
  options: LocalDriverOptions,
  log: Logger,
  signal: AbortSignal,
): Promise<RunResult> {
  const [cmd, ...args] = options.command;
  if (!cmd) return Promise.resolve({ outcome: 'failed', reason: 'no trainer command' });
  return new Promise((resolve) => {
    // Its own process group, so a timeout or shutdown stops npm and the node it started.
    const child = spawn(cmd, args, {
      cwd: options.cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    const stderr: string[] = [];
    child.stdout
      .setEncoding('utf8')
      .on('data', (s: string) => (stdout = (stdout + s).slice(-TAIL_BYTES)));
    child.stderr.setEncoding('utf8').on('data', (s: string) => {
      for (const line of s.split('\n').filter(Boolean)) {
        log.debug('trainer', { line });
        stderr.push(line);
        if (stderr.length > STDERR_LINES) stderr.shift();
      }
    });
    const stop = () => killGroup(child.pid);
    const timer = setTimeout(stop, options.timeoutMs ?? DEFAULT_RETRAIN_TIMEOUT_MS);
    signal.addEventListener('abort', stop, { once: true });
    log.info('trainer started', { pid: child.pid, command: options.command.join(' ') });
    child.on('error', (err) =>
      finish({ outcome: 'failed', reason: `cannot start trainer: ${err.message}` }),
    );
    child.on('close', (code, sig) => finish(interpret(stdout, stderr, code, sig)));
    let done = false;
    function finish(result: RunResult) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
      resolve(result);
    }
  });
}

/** The run's result from its exit and its last stdout line. */
export function interpret(
  stdout: string,
  stderr: string[],
  code: number | null,
  signal: NodeJS.Signals | null,
): RunResult {
  const last = stdout.trim().split('\n').pop() ?? '';
  let parsed: RunResult | null = null;
  try {
    const r = retrainResultLineSchema.safeParse(JSON.parse(last));
    if (r.success)
      parsed = { outcome: r.data.outcome, version: r.data.version, reason: r.data.reason };
  } catch {
    parsed = null;
  }
  if (code === 0 && parsed && parsed.outcome !== 'failed') return parsed;
  // A kill (timeout, shutdown) is the reason even when the trainer had printed progress.
  const why =
    parsed?.reason ??
    (signal
      ? `trainer killed by ${signal}`
      : (stderr.at(-1) ?? `trainer exited with code ${code}`));
  if (code === 0 && !parsed) return { outcome: 'failed', reason: 'trainer printed no result line' };
  return { outcome: 'failed', reason: why };
}

// SIGTERM first so the trainer can release its lock; SIGKILL if it has not gone in 5 s.
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pid, sig);
    } catch {
      // Already gone.
    }
  };
  send('SIGTERM');
  setTimeout(() => send('SIGKILL'), 5000).unref();
}
