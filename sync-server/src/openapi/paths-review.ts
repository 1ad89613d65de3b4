import {
  FEEDBACK_FLAGS,
  HELD_BACK_FLAGS,
  MAX_REVIEW_BODY_BYTES,
  MAX_REVIEW_IDS,
  REVIEW_PAGE_SIZE,
  reviewStateSchema,
} from '../contract';
import { REVIEW_BY_CLIENT, REVIEW_BY_IDS, REVIEW_PAGE, REVIEW_RESPONSE } from './examples';
import { ADMIN_ERRORS, errorResponse, json, responseRef } from './responses';
import { schemaRef } from './schemas';

const ADMIN = [{ adminToken: [] }];

// Review reads and writes the store, which on PostgreSQL may be unreachable.
const adminErrors = { ...ADMIN_ERRORS, 503: responseRef('StoreDown') };

const quoted = (flags: readonly string[]) => flags.map((f) => `\`${f}\``).join(', ');
const FLAGS_TEXT = `Flags set at ingest: ${quoted(FEEDBACK_FLAGS)}; set by the trainer, which held the answer back (\`new_data/disputed.jsonl\`): ${quoted(HELD_BACK_FLAGS)} (sync-server/README.md, "Trust").`;

const list = {
  get: {
    operationId: 'listReview',
    tags: ['admin'],
    summary: 'Flagged answers, by review state, oldest first',
    description: `Answers flagged at ingest or held back by the trainer (and any answer a decision was made on), ${REVIEW_PAGE_SIZE} per page; pass \`next\` as \`cursor\` for the next page. ${FLAGS_TEXT}`,
    security: ADMIN,
    parameters: [
      {
        name: 'state',
        in: 'query',
        schema: { type: 'string', enum: reviewStateSchema.options, default: 'pending' },
      },
      {
        name: 'cursor',
        in: 'query',
        description: '`next` of the page before.',
        schema: { type: 'string', pattern: '^\\d{1,9}$' },
      },
    ],
    responses: {
      200: {
        description: 'One page.',
        content: json(schemaRef('ReviewPage'), { page: REVIEW_PAGE }),
      },
      400: errorResponse('A bad `state` or `cursor`.', {
        bad_request: 'state: Invalid option: expected one of "pending"|"accepted"|"rejected"',
      }),
      ...adminErrors,
    },
  },
  post: {
    operationId: 'decideReview',
    tags: ['admin'],
    summary: 'Accept or reject answers: listed ids, or everything one client sent',
    description: `Decisions are appended to \`new_data/review.jsonl\` and flushed before the 200; a later decision on an id overrides an earlier one. Rejected answers never train; flagged answers train once accepted. Ids the server never stored come back in \`unknown\`. At most ${MAX_REVIEW_IDS} ids.`,
    security: ADMIN,
    requestBody: {
      required: true,
      content: json(schemaRef('ReviewRequest'), { ids: REVIEW_BY_IDS, client: REVIEW_BY_CLIENT }),
    },
    responses: {
      200: {
        description: 'Recorded, durably.',
        content: json(schemaRef('ReviewResponse'), { done: REVIEW_RESPONSE }),
      },
      400: errorResponse('Not JSON, or no valid `ids`/`clientId` and `decision`.', {
        bad_request: 'decision: Invalid option: expected one of "accept"|"reject"',
      }),
      408: responseRef('BodyTimeout'),
      413: errorResponse(`The body is over ${MAX_REVIEW_BODY_BYTES} bytes.`, {
        payload_too_large: `body over ${MAX_REVIEW_BODY_BYTES} bytes`,
      }),
      415: responseRef('NotJson'),
      ...adminErrors,
    },
  },
};

const image = {
  get: {
    operationId: 'getReviewImage',
    tags: ['admin'],
    summary: 'The stored 28×28 image of an answer',
    security: ADMIN,
    parameters: [
      { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } },
    ],
    responses: {
      200: { description: 'PNG, 8-bit grayscale, ink = 255.', content: { 'image/png': {} } },
      404: errorResponse('No stored answer has this id.', {
        not_found: 'no stored answer has this id',
      }),
      ...adminErrors,
    },
  },
};

/** Review of flagged answers, behind the admin token. */
export const REVIEW_PATHS = {
  '/api/admin/review': list,
  '/api/admin/review/{id}/image': image,
};
