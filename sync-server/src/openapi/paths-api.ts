import { z } from 'zod';
import { versionSchema } from '../contract';
import {
  EXAMPLE_VERSION,
  FEEDBACK_BATCH,
  FEEDBACK_RESPONSE,
  FEEDBACK_RESPONSE_PARTIAL,
  MANIFEST,
  ROLLBACK,
  STATS,
  STATUS,
} from './examples';
import { ADMIN_ERRORS, errorResponse, json, responseRef } from './responses';
import { schemaRef } from './schemas';

const ADMIN = [{ adminToken: [] }];
const { $schema: _, ...VERSION }: Record<string, unknown> = z.toJSONSchema(versionSchema, {
  target: 'draft-2020-12',
});

const body = (id: string, examples: Record<string, unknown>) => ({
  required: true,
  content: json(schemaRef(id), examples),
});

const feedback = {
  post: {
    operationId: 'postFeedback',
    tags: ['feedback'],
    summary: 'Send answered predictions (1–100 per request)',
    description:
      'Each item is judged alone: valid new items are stored, an id seen before (in any letter case) counts as a duplicate and is stored once, invalid items come back in `rejected`. The 200 is sent only once the accepted items are durable, so a client may delete what it sent on a 200 and must resend on anything else (ids make resending safe).',
    requestBody: body('FeedbackBatch', { batch: FEEDBACK_BATCH }),
    responses: {
      200: {
        description: 'Stored (or known) and durable; bad items listed in `rejected`.',
        content: json(schemaRef('FeedbackResponse'), {
          stored: FEEDBACK_RESPONSE,
          partial: FEEDBACK_RESPONSE_PARTIAL,
        }),
      },
      400: errorResponse('The envelope is malformed: not JSON, no `items`, 0 or over 100.', {
        bad_request: 'Malformed JSON in request body',
        invalid_envelope: 'items: Too big: expected array to have <=100 items',
      }),
      408: responseRef('BodyTimeout'),
      413: responseRef('FeedbackTooLarge'),
      415: responseRef('NotJson'),
      429: responseRef('RateLimited'),
      503: responseRef('Unavailable'),
      default: responseRef('Internal'),
    },
  },
};

const manifest = {
  get: {
    operationId: 'getManifest',
    tags: ['model'],
    summary: 'The model manifest: which version is live, and every kept one',
    description: 'Revalidate on every load: `Cache-Control: no-cache` with an `ETag`.',
    parameters: [{ name: 'If-None-Match', in: 'header', schema: { type: 'string' } }],
    responses: {
      200: {
        description: 'The manifest.',
        headers: { ETag: { required: true, schema: { type: 'string' } } },
        content: json(schemaRef('Manifest'), { manifest: MANIFEST }),
      },
      304: { description: 'The manifest is the one `If-None-Match` names.' },
      404: errorResponse('No model has been published yet.', {
        no_model: 'no model has been published yet',
      }),
      default: responseRef('Internal'),
    },
  },
};

const modelFile = {
  get: {
    operationId: 'getModelFile',
    tags: ['model'],
    summary: 'A file of a published model version (immutable, cache forever)',
    parameters: [
      { name: 'version', in: 'path', required: true, schema: VERSION, example: EXAMPLE_VERSION },
      {
        name: 'file',
        in: 'path',
        required: true,
        description: '`model.json` or a weight shard named in it.',
        schema: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9_.-]*$' },
        example: 'model.json',
      },
    ],
    responses: {
      200: {
        description: 'The file (tfjs layers format).',
        content: {
          'application/json': { schema: { type: 'object' } },
          'application/octet-stream': { schema: { contentMediaType: 'application/octet-stream' } },
        },
      },
      404: errorResponse('No such version or file.', { not_found: 'no such model file' }),
      default: responseRef('Internal'),
    },
  },
};

const status = {
  get: {
    operationId: 'getStatus',
    tags: ['status'],
    summary: 'Live version, subset progress, retrain state, totals',
    responses: {
      200: { description: 'The status.', content: json(schemaRef('Status'), { status: STATUS }) },
      default: responseRef('Internal'),
    },
  },
};

const stats = {
  get: {
    operationId: 'getStats',
    tags: ['status'],
    summary: "Users' accuracy per version (confusion matrix) and over time",
    responses: {
      200: { description: 'The statistics.', content: json(schemaRef('Stats'), { stats: STATS }) },
      503: responseRef('StoreDown'),
      default: responseRef('Internal'),
    },
  },
};

const rollback = {
  post: {
    operationId: 'rollback',
    tags: ['admin'],
    summary: 'Point the live model at a kept version',
    security: ADMIN,
    requestBody: body('RollbackRequest', { rollback: ROLLBACK }),
    responses: {
      200: {
        description: 'Rolled back; the manifest names it at once.',
        content: json(schemaRef('RollbackResponse'), { done: { current: ROLLBACK.version } }),
      },
      400: errorResponse('Not JSON, or no valid `version`.', {
        bad_request: 'version must look like 2026-11-26T12-00-00-000Z',
      }),
      404: errorResponse('The manifest does not keep that version.', {
        rollback_refused: `version ${ROLLBACK.version} is not in the manifest`,
      }),
      408: responseRef('BodyTimeout'),
      409: errorResponse('A retrain holds the lock, or the version’s files are gone.', {
        retrain_running: 'a trainer run holds the retrain lock',
        rollback_refused: `models/${ROLLBACK.version}/model.json is missing`,
      }),
      413: responseRef('AdminTooLarge'),
      415: responseRef('NotJson'),
      ...ADMIN_ERRORS,
    },
  },
};

const retrain = {
  post: {
    operationId: 'retrain',
    tags: ['admin'],
    summary: 'Ask for a retrain run now',
    security: ADMIN,
    responses: {
      202: {
        description: 'Asked; runs now or after the one running.',
        content: json(schemaRef('RetrainResponse'), { running: { state: 'running' } }),
      },
      409: errorResponse('The server never retrains (`RETRAIN_DRIVER=none`).', {
        retrain_disabled: 'RETRAIN_DRIVER=none never retrains',
      }),
      ...ADMIN_ERRORS,
    },
  },
};

const recent = {
  get: {
    operationId: 'recentAnswers',
    tags: ['admin'],
    summary: 'The newest answers per confirmed digit, with their images',
    security: ADMIN,
    parameters: [
      {
        name: 'perDigit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 24, default: 8 },
      },
    ],
    responses: {
      200: {
        description: 'Up to `perDigit` answers for each digit, newest first.',
        content: json(schemaRef('RecentAnswers'), {
          empty: { digits: Array.from({ length: 10 }, (_, label) => ({ label, answers: [] })) },
        }),
      },
      400: errorResponse('`perDigit` out of range.', { bad_request: 'perDigit must be 1–24' }),
      503: responseRef('StoreDown'),
      ...ADMIN_ERRORS,
    },
  },
};

/** The API proper: feedback, model, status, admin. */
export const API_PATHS = {
  '/api/feedback': feedback,
  '/api/model/manifest': manifest,
  '/models/{version}/{file}': modelFile,
  '/api/status': status,
  '/api/stats': stats,
  '/api/admin/rollback': rollback,
  '/api/admin/retrain': retrain,
  '/api/admin/recent': recent,
};
