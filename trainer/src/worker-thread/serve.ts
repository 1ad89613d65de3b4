import { parentPort, type Transferable } from 'node:worker_threads';
import type { Reply } from './protocol';

/**
 * The worker side of `WorkerThread`: answers each request with `handle`'s result, one request
 * at a time and in order (the main side matches replies to requests by order). A handler that
 * throws answers with its message; the worker stays up for the next request.
 */
export function serve<Req, Res>(
  handle: (req: Req) => Res | Promise<Res>,
  transferOf: (res: Res) => Transferable[] = () => [],
): void {
  const port = parentPort;
  if (!port) throw new Error('serve() must run in a worker thread');
  let queue = Promise.resolve();
  port.on('message', (req: Req) => {
    queue = queue.then(async () => {
      let reply: Reply<Res>;
      let transfer: Transferable[] = [];
      try {
        const value = await handle(req);
        reply = { ok: true, value };
        transfer = transferOf(value);
      } catch (err) {
        reply = { ok: false, error: err instanceof Error ? err.message : String(err) };
      }
      port.postMessage(reply, transfer);
    });
  });
}
