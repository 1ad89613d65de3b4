import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import type { ErrorBody } from '../contract';
import type { Logger } from '../log';
import { StoreUnavailableError } from '../storage/feedback-store';
import { CLIENT_CLOSED, ClientClosedError } from './client-closed';

/** Seconds a client should wait after a 503 from storage that cannot answer before it retries. */
export const STORAGE_RETRY_AFTER_S = 30;

const CODES: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  408: 'request_timeout',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
  503: 'unavailable',
};

export interface ApiErrorOptions {
  details?: unknown;
  /** Headers the answer must carry (Retry-After, WWW-Authenticate). */
  headers?: Record<string, string>;
}

/** An API error with the machine-readable `code` of the JSON error body. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly options: ApiErrorOptions = {},
  ) {
    super(status, { message });
  }
}

/** The JSON error body every 4xx/5xx of the API carries. */
export function errorJson(
  c: Context,
  status: ContentfulStatusCode,
  code: string,
  message: string,
  details?: unknown,
): Response {
  const body: ErrorBody = {
    error: { code, message, ...(details === undefined ? {} : { details }) },
  };
  return c.json(body, status);
}

/**
 * Known errors become their status with a JSON body; anything else is logged with the
 * request id and answered with a generic 500 that leaks nothing.
 */
export function onError(log: Logger): ErrorHandler {
  return (err, c) => {
    // Nobody is left to answer: record the outcome (499), not an error with a stack.
    if (err instanceof ClientClosedError) {
      log.debug('client closed the request', { requestId: c.get('requestId') });
      return c.body(null, CLIENT_CLOSED as StatusCode);
    }
    if (err instanceof StoreUnavailableError) {
      log.warn('storage cannot answer', {
        requestId: c.get('requestId'),
        cause: err.cause instanceof Error ? err.cause.message : String(err.cause),
      });
      const res = errorJson(c, 503, 'storage_unavailable', 'the server cannot answer this now');
      res.headers.set('Retry-After', String(STORAGE_RETRY_AFTER_S));
      return res;
    }
    if (err instanceof HTTPException) {
      const status = err.status as ContentfulStatusCode;
      const code = err instanceof ApiError ? err.code : (CODES[status] ?? 'error');
      const options = err instanceof ApiError ? err.options : {};
      const res = errorJson(
        c,
        status,
        code,
        err.message || code.replace(/_/g, ' '),
        options.details,
      );
      for (const [k, v] of Object.entries(options.headers ?? {})) res.headers.set(k, v);
      return res;
    }
    log.error('unhandled error', { err, requestId: c.get('requestId') });
    return errorJson(c, 500, 'internal', 'internal server error');
  };
}

export const notFound: NotFoundHandler = (c) =>
  errorJson(c, 404, 'not_found', `no route for ${c.req.method} ${c.req.path}`);
