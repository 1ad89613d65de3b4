import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { Server as NetServer } from 'node:net';

// While draining, connections that fell idle are closed on this period (a response sent
// during the drain already closes its own connection; this catches the rest).
const IDLE_SWEEP_MS = 100;

export interface DrainOptions {
  /** After this long, every connection still open is cut so that no client waits on. */
  deadlineMs: number;
}

/** How a drain ended: every request answered, or the deadline cut the stragglers. */
export type DrainOutcome = 'drained' | 'cut';

/**
 * Makes `server` drainable and returns the function that drains it. Draining:
 * 1. stops accepting connections (a new one is refused at once);
 * 2. answers every request already received, each with `Connection: close`, so no client
 *    sends another request on a connection about to close;
 * 3. closes connections with no request in progress. Bytes that reached the socket before
 *    the drain began are parsed first (two event-loop turns), so a request the client had
 *    fully sent is answered rather than reset;
 * 4. at the deadline, cuts whatever is still open: those clients see a closed connection at
 *    once, never a hang.
 * Resolves when no connection is left.
 */
export function drainable(server: Server): (options: DrainOptions) => Promise<DrainOutcome> {
  let draining = false;
  // Responses not yet finished: those begun before the drain must close their connection too.
  const open = new Set<ServerResponse>();
  // First listener, so the header is set before any handler writes the response.
  server.prependListener('request', (_req: IncomingMessage, res: ServerResponse) => {
    if (draining) res.shouldKeepAlive = false;
    else {
      open.add(res);
      res.on('close', () => open.delete(res));
    }
  });
  return async ({ deadlineMs }) => {
    if (draining) throw new Error('already draining');
    draining = true;
    for (const res of open) if (!res.headersSent) res.shouldKeepAlive = false;
    const closed = new Promise<void>((resolve) => {
      // http.Server#close would also drop idle connections at once, before their
      // received bytes are parsed; the net close only stops listening.
      NetServer.prototype.close.call(server, () => resolve());
    });
    await turns(2);
    server.closeIdleConnections();
    const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'cut'>((resolve) => {
      timer = setTimeout(() => resolve('cut'), deadlineMs);
    });
    try {
      const outcome = await Promise.race([closed.then(() => 'drained' as const), deadline]);
      if (outcome === 'cut') {
        server.closeAllConnections();
        await closed;
      }
      return outcome;
    } finally {
      clearInterval(sweep);
      clearTimeout(timer);
    }
  };
}

// Lets the poll phase run `n` times: reads already in the kernel's buffers get parsed.
async function turns(n: number): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}
