import { Hono } from 'hono';
import { validator } from 'hono/validator';
import {
  canonicalUuidSchema,
  MAX_REVIEW_BODY_BYTES,
  reviewListQuerySchema,
  reviewRequestSchema,
  type ReviewPage,
  type ReviewRequest,
  type ReviewResponse,
} from '../contract';
import { limitBody, requireJson } from '../middleware/body-guards';
import { ApiError } from '../middleware/errors';
import type { ReviewDesk } from '../storage/review-desk';

export interface ReviewRouteDeps {
  review: ReviewDesk;
}

// Decisions carry no person: one admin token stands for every operator.
const REVIEWER = 'admin';

/**
 * `GET|POST /api/admin/review` and `GET /api/admin/review/{id}/image`; mounted behind the
 * admin auth, so every request is authenticated and audited.
 */
export function reviewRoutes({ review }: ReviewRouteDeps) {
  return new Hono()
    .get(
      '/',
      validator('query', (value) => {
        const r = reviewListQuerySchema.safeParse(value);
        if (!r.success) throw badRequest(r.error.issues);
        return r.data;
      }),
      async (c) => {
        const { state, cursor } = c.req.valid('query');
        await review.refresh();
        const body: ReviewPage = {
          ...(await review.page(state, Number(cursor ?? 0))),
          pending: review.pending(),
        };
        c.header('Cache-Control', 'no-store');
        return c.json(body, 200);
      },
    )
    .post(
      '/',
      requireJson,
      limitBody(MAX_REVIEW_BODY_BYTES),
      validator('json', (value: ReviewRequest) => {
        const r = reviewRequestSchema.safeParse(value);
        if (!r.success) throw badRequest(r.error.issues);
        return r.data;
      }),
      async (c) => {
        const request = c.req.valid('json');
        const ids = 'ids' in request ? request.ids : await review.idsOfClient(request.clientId);
        const done = await review.decide(ids, request.decision, REVIEWER);
        c.set('auditDetails', {
          decision: request.decision,
          decided: done.decided,
          ...('clientId' in request ? { clientId: request.clientId } : {}),
        });
        const body: ReviewResponse = { ...done, pending: review.pending() };
        return c.json(body, 200);
      },
    )
    .get('/:id/image', async (c) => {
      const id = canonicalUuidSchema.safeParse(c.req.param('id'));
      const png = id.success ? await review.image(id.data) : null;
      if (!png) throw new ApiError(404, 'not_found', 'no stored answer has this id');
      return c.body(new Uint8Array(png), 200, {
        'Content-Type': 'image/png',
        'Cache-Control': 'private, max-age=3600',
      });
    });
}

function badRequest(issues: { path: PropertyKey[]; message: string }[]): ApiError {
  const first = issues[0];
  const where = first?.path.length ? `${first.path.map(String).join('.')}: ` : '';
  return new ApiError(400, 'bad_request', `${where}${first?.message ?? 'bad request'}`);
}
