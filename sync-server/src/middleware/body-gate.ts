import type { Context, MiddlewareHandler } from 'hono';
import type { ServerLimitsConfig } from '../config';
import { ClientClosedError, isClientGone } from './client-closed';
import { ApiError } from './errors';

export interface BodyGateOptions {
  /** Bodies being received at once over all clients; beyond it, 503. */
  maxBodies: number;
  /** Bodies being received at once from one client; beyond it, 429. */
  maxBodiesPerClient: number;
  /** A body must be read whole within this, counted from when it was let in (408). */
  timeoutMs: number;
  /** The client's key, its address (see `clientAddress`). */
  key: (c: Context) => string;
  /** Told the number of bodies in progress whenever it changes (a metrics gauge). */
  observe?: (inProgress: number) => void;
}

// Seconds a refused client is told to wait: a slot frees as soon as any body is read.
const RETRY_AFTER_S = '1';

/**
 * Bounds what slow and stalled uploads can hold: a request body counts against a global and
 * a per-client cap from when it is let in until it has been read (or the request ends), and
 * its reads fail with 408 once `timeoutMs` has passed. The body itself is still read by the
 * route (`limitBody`), through a wrapper that enforces the deadline. Refusals close the
 * connection, so the unread body is not waited for.
 */
export function bodyGate(options: BodyGateOptions): MiddlewareHandler {
  let total = 0;
  const perClient = new Map<string, number>();
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const key = options.key(c);
    const mine = perClient.get(key) ?? 0;
    if (total >= options.maxBodies) throw refuse(503, 'busy', 'too many uploads in progress');
    if (mine >= options.maxBodiesPerClient)
      throw refuse(429, 'rate_limited', 'too many uploads in progress from this address');
    total += 1;
    perClient.set(key, mine + 1);
    options.observe?.(total);
    let held = true;
    const release = () => {
      if (!held) return;
      held = false;
      total -= 1;
      options.observe?.(total);
      const left = (perClient.get(key) ?? 1) - 1;
      if (left > 0) perClient.set(key, left);
      else perClient.delete(key);
    };
    const guarded = deadlineBody(body, options.timeoutMs, c.req.raw.signal, release);
    c.req.raw = new Request(c.req.raw, { body: guarded.body, duplex: 'half' } as RequestInit);
    try {
      await next();
    } finally {
      // Also when the route never read the body (a refused admin request).
      guarded.finish();
    }
  };
}

/** The gate with these limits, or a pass-through without any (in-memory tests). */
export function bodyLimits(
  limits:
    Pick<ServerLimitsConfig, 'bodyTimeoutMs' | 'maxBodies' | 'maxBodiesPerClient'> | undefined,
  key: (c: Context) => string,
  observe?: (inProgress: number) => void,
): MiddlewareHandler {
  if (!limits) return (_c, next) => next();
  return bodyGate({ ...limits, timeoutMs: limits.bodyTimeoutMs, key, observe });
}

function refuse(status: 429 | 503, code: string, message: string): ApiError {
  return new ApiError(status, code, `${message}; retry in ${RETRY_AFTER_S} s`, {
    headers: { 'Retry-After': RETRY_AFTER_S, Connection: 'close' },
  });
}

/** 408 for a body not read in time; it closes the connection, the rest is never read. */
export function bodyTimeout(timeoutMs: number): ApiError {
  return new ApiError(408, 'request_timeout', `body not received within ${timeoutMs} ms`, {
    headers: { Connection: 'close' },
  });
}

/**
 * `source` read through a deadline: a read pending or started after it fails with a 408,
 * a read failing because the client left fails with a ClientClosedError. `finish` stops the
 * clock and calls `done`; it runs at the end of the body, on a failure or a cancel, and may
 * be called again (by the gate once the request is over).
 */
function deadlineBody(
  source: ReadableStream<Uint8Array>,
  timeoutMs: number,
  signal: AbortSignal,
  done: () => void,
): { body: ReadableStream<Uint8Array>; finish: () => void } {
  const reader = source.getReader();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(bodyTimeout(timeoutMs)), timeoutMs);
  });
  expired.catch(() => undefined);
  const finish = () => {
    clearTimeout(timer);
    done();
  };
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done: end, value } = await Promise.race([reader.read(), expired]);
        if (end) {
          finish();
          controller.close();
        } else controller.enqueue(value);
      } catch (err) {
        finish();
        // The source is left alone: cancelling it would destroy the socket before the 408.
        controller.error(isClientGone(err, signal) ? new ClientClosedError(err) : err);
      }
    },
    cancel(reason) {
      finish();
      return reader.cancel(reason);
    },
  });
  return { body, finish };
}
