import type { MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ClientClosedError, isClientGone } from './client-closed';
import { ApiError } from './errors';

/** 415 unless the body is declared JSON (`application/json`, any parameters). */
export const requireJson: MiddlewareHandler = async (c, next) => {
  const type = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError(415, 'unsupported_media_type', 'send the body as application/json', {
      details: { contentType: type || null },
    });
  }
  await next();
};

// An oversized body is still read (and dropped) up to this size before the 413 goes out:
// answering while the client is still sending makes the socket close under it, and the
// client then sees a reset instead of the 413. Past this, the connection is closed.
const DRAIN_MAX_BYTES = 16 * 1024 * 1024;

/**
 * 413 when the body exceeds `maxBytes`, declared or streamed. The accepted body is
 * buffered and handed on, so later readers see it whole.
 */
export function limitBody(maxBytes: number): MiddlewareHandler {
  const tooLarge = (close: boolean) =>
    new ApiError(413, 'payload_too_large', `body over ${maxBytes} bytes`, {
      headers: close ? { Connection: 'close' } : {},
    });
  return async (c, next) => {
    const body = c.req.raw.body;
    if (!body) return next();
    const declared = Number(c.req.header('content-length') ?? NaN);
    if (declared > DRAIN_MAX_BYTES) throw tooLarge(true);
    const chunks: Uint8Array[] = [];
    let size = 0;
    const reader = body.getReader();
    for (;;) {
      const { done, value } = await readChunk(reader, c.req.raw.signal);
      if (done) break;
      size += value.byteLength;
      if (size <= maxBytes) chunks.push(value);
      else if (size > DRAIN_MAX_BYTES) {
        await reader.cancel();
        throw tooLarge(true);
      }
    }
    if (size > maxBytes) throw tooLarge(false);
    c.req.raw = new Request(c.req.raw, { body: Buffer.concat(chunks) });
    return next();
  };
}

// A client that leaves mid-body is its own outcome (499), not a server fault.
async function readChunk(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  signal: AbortSignal,
): Promise<Awaited<ReturnType<typeof reader.read>>> {
  try {
    return await reader.read();
  } catch (err) {
    if (err instanceof HTTPException) throw err;
    if (isClientGone(err, signal)) throw new ClientClosedError(err);
    throw err;
  }
}
