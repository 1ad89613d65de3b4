import {
  errorBodySchema,
  reviewPageSchema,
  reviewResponseSchema,
  type ReviewPage,
  type ReviewRequest,
  type ReviewResponse,
  type ReviewState,
} from 'sync-server/contract';
import { apiClient } from '../api/api-client';

/** A review route's answer, or why there is none, in words for the admin. */
export type ReviewResult<T> = { ok: true; value: T } | { ok: false; message: string };

const bearer = (token: string) => ({
  headers: { authorization: `Bearer ${token}` },
  init: { cache: 'no-store' as const },
});

/** What `answer` needs of a contract schema (zod's `safeParse`). */
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

async function answer<T>(
  request: () => Promise<Response>,
  schema: Schema<T>,
): Promise<ReviewResult<T>> {
  let res: Response;
  try {
    res = await request();
  } catch {
    return { ok: false, message: 'The server is out of reach.' };
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const parsed = errorBodySchema.safeParse(body);
    const reason = parsed.success ? parsed.data.error.message : res.statusText;
    return { ok: false, message: `Refused (HTTP ${res.status}): ${reason}` };
  }
  const parsed = schema.safeParse(body);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: 'The server answer was not understood.' };
}

/** `GET /api/admin/review`: one page of answers in `state`, from `cursor` (a page's `next`). */
export function fetchReviewPage(
  token: string,
  state: ReviewState,
  cursor: string | null,
): Promise<ReviewResult<ReviewPage>> {
  const query = cursor === null ? { state } : { state, cursor };
  return answer(
    () => apiClient().api.admin.review.$get({ query }, bearer(token)),
    reviewPageSchema,
  );
}

/** `POST /api/admin/review`: a decision on some ids, or on everything one client sent. */
export function decideReview(
  token: string,
  request: ReviewRequest,
): Promise<ReviewResult<ReviewResponse>> {
  return answer(
    () => apiClient().api.admin.review.$post({ json: request }, bearer(token)),
    reviewResponseSchema,
  );
}

/**
 * An answer's 28×28 PNG as an object URL (the caller revokes it), or null: the image sits
 * behind the admin token, so a plain `<img src>` cannot load it.
 */
export async function fetchReviewImage(token: string, id: string): Promise<string | null> {
  try {
    const res = await apiClient().api.admin.review[':id'].image.$get(
      { param: { id } },
      bearer(token),
    );
    return res.ok ? URL.createObjectURL(await res.blob()) : null;
  } catch {
    return null;
  }
}
