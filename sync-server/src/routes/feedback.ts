import { Hono, type Context } from 'hono';
import { validator } from 'hono/validator';
import {
  decodePixels,
  feedbackBatchSchema,
  feedbackItemSchema,
  MAX_BODY_BYTES,
  type FeedbackItem,
  type FeedbackResponse,
  type RejectedItem,
} from '../contract';
import type { Metrics } from '../metrics';
import { limitBody, requireJson } from '../middleware/body-guards';
import { clientAddress } from '../middleware/client-address';
import { ApiError, STORAGE_RETRY_AFTER_S } from '../middleware/errors';
import { StoreClosedError, StoreWriteError, type StoreItem } from '../storage/feedback-store';
import type { FeedbackStorage } from '../storage/store';

export interface FeedbackRouteDeps {
  store: FeedbackStorage;
  metrics: Metrics;
  /** The sender's address, the quota key of items without a clientId; the peer's by default. */
  clientKey?: (c: Context) => string;
}

// The file name carries created-at in at most 15 digits (contract PNG name); year 9999 fits.
const MAX_CREATED_MS = 999_999_999_999_999;

/** `POST /api/feedback`: the envelope is judged whole, each item alone. */
export function feedbackRoute({ store, metrics, clientKey = clientAddress }: FeedbackRouteDeps) {
  return new Hono().post(
    '/',
    requireJson,
    limitBody(MAX_BODY_BYTES),
    // Malformed JSON never reaches this: hono's validator answers it with a 400.
    validator('json', (value: { items: FeedbackItem[] }) => {
      const r = feedbackBatchSchema.safeParse(value);
      if (!r.success) throw envelopeError(r.error.issues);
      return r.data;
    }),
    async (c) => {
      const { good, indices, rejected } = judgeItems(c.req.valid('json').items);
      let result;
      try {
        result =
          good.length > 0
            ? await store.submit(good, { address: clientKey(c) })
            : { accepted: 0, duplicates: 0, rejected: [], subset: store.progress() };
      } catch (err) {
        if (err instanceof StoreClosedError) throw new ApiError(503, 'unavailable', err.message);
        // The store logged it (one warn line): nothing is stored, the client keeps the items.
        if (err instanceof StoreWriteError)
          throw new ApiError(503, 'storage_unavailable', 'the server cannot store answers now', {
            headers: { 'Retry-After': String(STORAGE_RETRY_AFTER_S) },
          });
        throw err;
      }
      // Refused by the store (over quota): reported at the item's index in the batch.
      for (const { position, reason } of result.rejected) {
        const index = indices[position]!;
        rejected.push({ index, id: good[position]!.item.id, reason });
      }
      rejected.sort((a, b) => a.index - b.index);
      metrics.feedbackItems(result.accepted, rejected.length, result.duplicates);
      const { accepted, duplicates, subset } = result;
      const body: FeedbackResponse = { accepted, duplicates, rejected, subset };
      return c.json(body, 200);
    },
  );
}

function envelopeError(issues: { path: PropertyKey[]; message: string }[]): ApiError {
  const first = issues[0];
  const where = first?.path.length ? `${first.path.map(String).join('.')}: ` : '';
  return new ApiError(400, 'invalid_envelope', `${where}${first?.message ?? 'invalid body'}`, {
    details: issues.slice(0, 5).map((i) => ({ path: i.path.map(String), message: i.message })),
  });
}

/**
 * Splits a batch into storable items (with their indices in the batch) and per-item
 * rejections with their reasons.
 */
export function judgeItems(items: unknown[]): {
  good: StoreItem[];
  indices: number[];
  rejected: RejectedItem[];
} {
  const good: StoreItem[] = [];
  const indices: number[] = [];
  const rejected: RejectedItem[] = [];
  items.forEach((raw, index) => {
    const r = feedbackItemSchema.safeParse(raw);
    const id = idOf(raw);
    if (!r.success) {
      const issue = r.error.issues[0];
      const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
      rejected.push({ index, ...(id ? { id } : {}), reason: `${where}${issue?.message}` });
      return;
    }
    const ms = Date.parse(r.data.createdAt);
    if (!(ms >= 0 && ms <= MAX_CREATED_MS)) {
      rejected.push({ index, id: r.data.id, reason: 'createdAt: must be after 1970' });
      return;
    }
    good.push({ item: r.data, pixels: decodePixels(r.data.pixels) });
    indices.push(index);
  });
  return { good, indices, rejected };
}

// The id echoed in a rejection, only when it is a short string (never echo a huge payload).
function idOf(raw: unknown): string | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const id = (raw as { id?: unknown }).id;
  return typeof id === 'string' && id.length <= 64 ? id : undefined;
}
