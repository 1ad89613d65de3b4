import { MAX_ADMIN_BODY_BYTES, MAX_BATCH_ITEMS, MAX_BODY_BYTES } from '../contract';
import { schemaRef } from './schemas';

type Obj = Record<string, unknown>;

const retryAfter = (required: boolean) => ({
  description: 'Seconds to wait before trying again.',
  required,
  schema: { type: 'integer', minimum: 1 },
});

/** `content` of a JSON body: its schema and named examples. */
export function json(schema: Obj, examples: Record<string, unknown> = {}): Obj {
  const named = Object.entries(examples).map(([name, value]) => [name, { value }]);
  return {
    'application/json': {
      schema,
      ...(named.length > 0 ? { examples: Object.fromEntries(named) } : {}),
    },
  };
}

/** An error answer: the `ErrorBody` with one example per `code` this answer may carry. */
export function errorResponse(
  description: string,
  codes: Record<string, string>,
  headers: Obj = {},
): Obj {
  const examples = Object.fromEntries(
    Object.entries(codes).map(([code, message]) => [code, { error: { code, message } }]),
  );
  return {
    description,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: json(schemaRef('ErrorBody'), examples),
  };
}

/** `#/components/responses/<name>`. */
export const responseRef = (name: keyof typeof SHARED_RESPONSES) => ({
  $ref: `#/components/responses/${name}`,
});

/** Answers several routes share, kept once in `components.responses`. */
export const SHARED_RESPONSES = {
  BodyTimeout: errorResponse(
    'The body did not arrive in time; the server stops waiting for slow uploads.',
    { request_timeout: 'body not received within 30000 ms' },
  ),
  FeedbackTooLarge: errorResponse(`The body is over ${MAX_BODY_BYTES} bytes.`, {
    payload_too_large: `body over ${MAX_BODY_BYTES} bytes`,
  }),
  AdminTooLarge: errorResponse(`The body is over ${MAX_ADMIN_BODY_BYTES} bytes.`, {
    payload_too_large: `body over ${MAX_ADMIN_BODY_BYTES} bytes`,
  }),
  NotJson: errorResponse('The body is not declared `application/json`.', {
    unsupported_media_type: 'send the body as application/json',
  }),
  RateLimited: errorResponse(
    'Too many requests from this address; wait `Retry-After` seconds.',
    { rate_limited: 'too many requests; retry in 1 s' },
    { 'Retry-After': retryAfter(true) },
  ),
  Unauthorized: errorResponse(
    'No bearer token, or a wrong one.',
    { unauthorized: 'a valid admin bearer token is required' },
    { 'WWW-Authenticate': { required: true, schema: { type: 'string', const: 'Bearer' } } },
  ),
  AdminDisabled: errorResponse('The server has no `ADMIN_TOKEN`: admin routes refuse everyone.', {
    admin_disabled: 'ADMIN_TOKEN is not set',
  }),
  Unavailable: errorResponse(
    'Storage cannot take writes now (disk full, database unreachable, shutting down); try again later.',
    { unavailable: 'the server is shutting down' },
    { 'Retry-After': retryAfter(false) },
  ),
  StoreDown: errorResponse(
    'The database cannot answer now (PostgreSQL store, unreachable or too slow); try again later.',
    { storage_unavailable: 'the server cannot answer this now' },
    { 'Retry-After': retryAfter(true) },
  ),
  Internal: errorResponse('An unexpected error; the log has it under the request id.', {
    internal: 'internal server error',
  }),
};

/** The limits every client must know, for `info.description`. */
export const LIMITS_TEXT = [
  '## Limits',
  `- \`POST /api/feedback\`: 1–${MAX_BATCH_ITEMS} items and at most ${MAX_BODY_BYTES} bytes per request (413 above).`,
  `- Admin bodies: at most ${MAX_ADMIN_BODY_BYTES} bytes.`,
  '- Rate limit: `RATE_LIMIT_PER_MIN` feedback requests per client address per minute (600 by default); past it, 429 with `Retry-After` in seconds. Repeated failed admin authentication from one address is answered 429 with `Retry-After` too.',
  '- A body that does not arrive within the server body timeout is answered 408.',
  '- When storage cannot take writes (disk full, shutting down), 503 with `Retry-After`; `GET /readyz` reports the same.',
  '- Every answer carries `X-Request-Id`; every error body is `{ "error": { "code", "message", "details"? } }`.',
].join('\n');

/** The errors every admin route may answer. */
export const ADMIN_ERRORS = {
  401: responseRef('Unauthorized'),
  403: responseRef('AdminDisabled'),
  429: responseRef('RateLimited'),
  default: responseRef('Internal'),
};
