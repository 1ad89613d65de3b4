import { DOCS_ASSETS } from './docs-page';
import { errorResponse, json, responseRef } from './responses';
import { schemaRef } from './schemas';

const PROMETHEUS = 'text/plain; version=0.0.4; charset=utf-8';

const health = {
  get: {
    operationId: 'getHealth',
    tags: ['ops'],
    summary: 'Liveness: the process answers',
    responses: {
      200: { description: 'Alive.', content: json(schemaRef('Health'), { ok: { ok: true } }) },
    },
  },
};

const ready = {
  get: {
    operationId: 'getReadiness',
    tags: ['ops'],
    summary: 'Readiness: the store takes writes (and the database answers)',
    responses: {
      200: { description: 'Ready.', content: json(schemaRef('Readiness'), { ok: { ok: true } }) },
      503: errorResponse('Not ready: writes would fail now (the reason in `message`).', {
        not_ready: 'storage write failed (ENOSPC)',
      }),
    },
  },
};

const metrics = {
  get: {
    operationId: 'getMetrics',
    tags: ['ops'],
    summary: 'Prometheus metrics',
    description:
      'Open, or behind `Authorization: Bearer $METRICS_TOKEN` when the server sets `METRICS_TOKEN`.',
    // `{}` first: no credentials at all is a valid way in while no token is configured.
    security: [{}, { metricsToken: [] }],
    responses: {
      200: {
        description: 'Prometheus text exposition format.',
        content: { [PROMETHEUS]: { schema: { type: 'string' } } },
      },
      401: errorResponse(
        '`METRICS_TOKEN` is set and the request does not carry it.',
        { unauthorized: 'a valid metrics bearer token is required' },
        { 'WWW-Authenticate': { required: true, schema: { type: 'string', const: 'Bearer' } } },
      ),
    },
  },
};

const openapi = {
  get: {
    operationId: 'getOpenApi',
    tags: ['docs'],
    summary: 'This document (OpenAPI 3.1), generated from the zod contract',
    responses: {
      200: {
        description: 'The document.',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
    },
  },
};

const docs = {
  get: {
    operationId: 'getDocs',
    tags: ['docs'],
    summary: 'API reference page (works offline: every asset is served here)',
    responses: {
      200: { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } },
    },
  },
};

const docsAsset = {
  get: {
    operationId: 'getDocsAsset',
    tags: ['docs'],
    summary: 'A script of the reference page',
    parameters: [
      {
        name: 'asset',
        in: 'path',
        required: true,
        schema: { type: 'string', enum: DOCS_ASSETS },
      },
    ],
    responses: {
      200: {
        description: 'JavaScript.',
        headers: { ETag: { schema: { type: 'string' } } },
        content: { 'text/javascript': { schema: { type: 'string' } } },
      },
      304: { description: 'The script `If-None-Match` names (Scalar’s bundle).' },
      404: errorResponse('No such asset.', { not_found: 'no route for GET /api/docs/x.js' }),
      default: responseRef('Internal'),
    },
  },
};

/** Operations and documentation routes. */
export const OPS_PATHS = {
  '/healthz': health,
  '/readyz': ready,
  '/metrics': metrics,
  '/api/openapi.json': openapi,
  '/api/docs': docs,
  '/api/docs/{asset}': docsAsset,
};
