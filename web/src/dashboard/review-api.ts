import {
  reviewPageSchema,
  reviewResponseSchema,
  type ReviewPage,
  type ReviewRequest,
  type ReviewResponse,
  type ReviewState,
} from 'sync-server/contract';
import { apiClient } from '../api/api-client';
import { answer, type AdminAnswer } from './admin-answer';

const bearer = (token: string) => ({
  headers: { authorization: `Bearer ${token}` },
  init: { cache: 'no-store' as const },
});

/** `GET /api/admin/review`: one page of answers in `state`, from `cursor` (a page's `next`). */
export function fetchReviewPage(
  token: string,
  state: ReviewState,
  cursor: string | null,
): Promise<AdminAnswer<ReviewPage>> {
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
): Promise<AdminAnswer<ReviewResponse>> {
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
