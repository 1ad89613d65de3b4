import type { BackendName } from './backend-choice';
import type { MeasureReply, MeasureRequest } from './measure-worker';

// Enough samples for a stable median; the budget caps a slow backend at a few seconds.
const RUNS = 30;
const BUDGET_MS = 3000;
// Covers wasm compilation and WebGL shader compilation on a slow, busy machine.
const TIMEOUT_MS = 90_000;

/** Single-prediction times (ms) of the model at `modelUrl` on `backend`, in a fresh worker. */
export function measureInWorker(backend: BackendName, modelUrl: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./measure-worker.ts', import.meta.url), { type: 'module' });
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    const timer = setTimeout(() => finish({ ok: false, error: 'timed out' }), TIMEOUT_MS);
    function finish(reply: MeasureReply): void {
      clearTimeout(timer);
      worker.terminate();
      if (reply.ok) resolve(reply.samples);
      else reject(new Error(reply.error));
    }
    worker.onmessage = (event: MessageEvent<MeasureReply>) => finish(event.data);
    worker.onerror = (event) => finish({ ok: false, error: event.message || 'worker failed' });
    const request: MeasureRequest = { backend, modelUrl, runs: RUNS, budgetMs: BUDGET_MS };
    worker.postMessage(request);
  });
}
