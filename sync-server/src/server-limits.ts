import type { Server } from 'node:http';
import type { ServerLimitsConfig } from './config';

// Node checks header and request deadlines on a timer (30 s by default), so a deadline could
// be overrun by that much; check often enough that a cut comes close to its deadline.
const MAX_CHECK_INTERVAL_MS = 1000;

/**
 * Applies the socket-level timeouts to a Node HTTP server, before it listens. They bound
 * what a slow or stalled client can hold: the head must arrive within `headersTimeoutMs`,
 * the whole request within `requestTimeoutMs` (a backstop behind the 408 of the body
 * reader), and an idle keep-alive connection is closed after `keepAliveTimeoutMs`.
 */
export function applyServerLimits(
  server: Server,
  limits: Pick<ServerLimitsConfig, 'headersTimeoutMs' | 'requestTimeoutMs' | 'keepAliveTimeoutMs'>,
): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  // Read by Node when the server starts listening (`connectionsCheckingInterval` option of
  // http.createServer, which the adaptor creates for us); not in @types/node as a field.
  const checked = server as Server & { connectionsCheckingInterval: number };
  checked.connectionsCheckingInterval = Math.min(
    MAX_CHECK_INTERVAL_MS,
    limits.headersTimeoutMs,
    limits.requestTimeoutMs,
  );
}
