import {
  errorBodySchema,
  feedbackResponseSchema,
  type FeedbackItem,
  type FeedbackResponse,
} from 'sync-server/contract';
import { apiClient } from '../api/api-client';

/** What one POST told us: an answer per item, try again later, or a refusal of the batch. */
export type PostResult =
  | { kind: 'answered'; response: FeedbackResponse }
  | { kind: 'retry'; message: string; retryAfterMs: number | null }
  | { kind: 'refused'; message: string };

/** Sends one batch to `POST /api/feedback` and classifies the outcome; never throws. */
export async function postBatch(
  items: FeedbackItem[],
  fetchFn?: typeof fetch,
): Promise<PostResult> {
  let res: Response;
  try {
    res = await apiClient({ fetch: fetchFn }).api.feedback.$post({ json: { items } });
  } catch (error) {
    return { kind: 'retry', message: `network: ${String(error)}`, retryAfterMs: null };
  }
  const body: unknown = await res.json().catch(() => null);
  if (res.ok) {
    const parsed = feedbackResponseSchema.safeParse(body);
    if (parsed.success) return { kind: 'answered', response: parsed.data };
    return { kind: 'retry', message: 'server answer not understood', retryAfterMs: null };
  }
  const error = errorBodySchema.safeParse(body);
  const message = `HTTP ${res.status}${error.success ? `: ${error.data.error.message}` : ''}`;
  // Overload and server faults pass; any other 4xx would refuse the same batch forever.
  if (res.status >= 500 || res.status === 408 || res.status === 429) {
    return { kind: 'retry', message, retryAfterMs: retryAfter(res.headers.get('retry-after')) };
  }
  return { kind: 'refused', message };
}

function retryAfter(header: string | null): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}
