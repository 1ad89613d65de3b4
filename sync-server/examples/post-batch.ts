/**
 * How another app sends answers to the sync server: a client typed by the types that
 * openapi-typescript generates from `GET /api/openapi.json` (here the committed
 * `api-types.ts`), over openapi-fetch. Run against a running server:
 *
 *   npx tsx sync-server/examples/post-batch.ts http://127.0.0.1:8787
 */
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import createClient from 'openapi-fetch';
import type { components, paths } from './api-types';

type FeedbackItem = components['schemas']['FeedbackItem'];
type FeedbackResponse = components['schemas']['FeedbackResponse'];
type ErrorBody = components['schemas']['ErrorBody'];

export type PostResult =
  | { ok: true; result: FeedbackResponse }
  /** Not stored: resend the same items (same ids) after `retryAfterS` when it is set. */
  | { ok: false; status: number; error: ErrorBody['error']; retryAfterS: number | null };

/** One answer: a 28×28 image with a vertical stroke (ink = 255), labelled `label`. */
export function exampleItem(label: number, modelVersion: string | null = null): FeedbackItem {
  const pixels = new Uint8Array(28 * 28);
  for (let y = 4; y < 24; y++) pixels[y * 28 + 14] = 255;
  return {
    id: randomUUID(),
    pixels: Buffer.from(pixels).toString('base64'),
    label,
    predicted: null,
    confidence: null,
    modelVersion,
    createdAt: new Date().toISOString(),
  };
}

/**
 * POSTs up to 100 items in one batch. The server answers 200 only once they are durable, so
 * the caller may forget them on `ok`; anything else means nothing was stored for this call.
 */
export async function postBatch(
  baseUrl: string,
  items: FeedbackItem[],
  fetchImpl: (request: Request) => Promise<Response> = globalThis.fetch,
): Promise<PostResult> {
  const client = createClient<paths>({ baseUrl, fetch: fetchImpl });
  const { data, error, response } = await client.POST('/api/feedback', { body: { items } });
  if (data) return { ok: true, result: data };
  const retry = Number(response.headers.get('retry-after'));
  return {
    ok: false,
    status: response.status,
    error: error?.error ?? { code: 'unknown', message: response.statusText },
    retryAfterS: retry > 0 ? retry : null,
  };
}

async function main(baseUrl = 'http://127.0.0.1:8787'): Promise<void> {
  const outcome = await postBatch(baseUrl, [exampleItem(1), exampleItem(7)]);
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  if (!outcome.ok) process.exitCode = 1;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main(process.argv[2]);
