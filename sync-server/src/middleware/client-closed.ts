import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * nginx's "client closed request": not a standard status, but the one logs and dashboards
 * know for a request the client abandoned. Nobody receives it; it only keeps an abort out
 * of the 5xx counts and the error log.
 */
export const CLIENT_CLOSED = 499;

/** The client went away while its request was being read. */
export class ClientClosedError extends HTTPException {
  constructor(cause: unknown) {
    super(CLIENT_CLOSED as ContentfulStatusCode, { message: 'client closed the request', cause });
  }
}

/** Whether `err` (from reading the body) means the client went away rather than a fault here. */
export function isClientGone(err: unknown, signal?: AbortSignal): boolean {
  if (err instanceof ClientClosedError || signal?.aborted) return true;
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'EPIPE';
}
