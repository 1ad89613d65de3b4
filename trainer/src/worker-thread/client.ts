import { Worker, type Transferable } from 'node:worker_threads';
import type { Reply } from './protocol';

export interface StartOptions {
  /** Names the worker in every error, e.g. `training` → "training worker exited (code 1)". */
  name: string;
  workerData?: unknown;
}

interface Pending<T> {
  resolve: (value: T) => void;
  reject: (err: Error) => void;
}

/**
 * A worker thread that answers requests (its entry calls `serve`). Every request settles: with
 * the reply, or with an error naming the worker and what happened when the handler throws, the
 * worker throws outside it, exits or is terminated. Once the worker is gone, later requests
 * reject at once. So nothing awaiting a worker ever hangs on a dead one.
 */
export class WorkerThread<Req, Res> {
  private readonly pending: Pending<Res>[] = [];
  private gone: Error | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly name: string,
  ) {
    worker.on('message', (reply: Reply<Res>) => this.settle(reply));
    worker.on('error', (err: unknown) => this.fail(`failed: ${messageOf(err)}`));
    worker.on('messageerror', (err) => this.fail(`sent an unreadable reply: ${err.message}`));
    worker.on('exit', (code) => this.fail(`exited (code ${code})`));
  }

  /** Starts `entry` (a `.ts` file runs through tsx) in a new thread. */
  static start<Req, Res>(entry: URL, options: StartOptions): WorkerThread<Req, Res> {
    const worker = new Worker(bootUrl(entry), { workerData: options.workerData });
    return new WorkerThread<Req, Res>(worker, options.name);
  }

  /** Sends `req` (moving the `transfer` buffers); resolves to the worker's answer. */
  request(req: Req, transfer: Transferable[] = []): Promise<Res> {
    if (this.gone) return Promise.reject(this.gone);
    return new Promise<Res>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.worker.postMessage(req, transfer);
    });
  }

  /** Stops the thread; requests still waiting reject. */
  async terminate(): Promise<void> {
    this.fail('was terminated');
    await this.worker.terminate();
  }

  private settle(reply: Reply<Res>): void {
    const next = this.pending.shift();
    if (!next) {
      this.fail('replied to a request nobody sent');
      void this.worker.terminate();
    } else if (reply.ok) next.resolve(reply.value);
    else next.reject(new Error(`${this.name} worker: ${reply.error}`));
  }

  // The first cause wins: an 'error' event is followed by 'exit', which adds nothing.
  private fail(what: string): void {
    this.gone ??= new Error(`${this.name} worker ${what}`);
    for (const p of this.pending.splice(0)) p.reject(this.gone);
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

// A worker thread does not inherit tsx's loader from `--import` (Node 20), so a TypeScript
// entry starts from a tiny module that registers tsx and then imports it.
function bootUrl(entry: URL): URL {
  if (!entry.pathname.endsWith('.ts')) return entry;
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(boot)}`);
}
