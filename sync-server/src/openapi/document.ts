import { API_VERSION } from '../contract';
import { API_PATHS } from './paths-api';
import { OPS_PATHS } from './paths-ops';
import { REVIEW_PATHS } from './paths-review';
import { LIMITS_TEXT, SHARED_RESPONSES } from './responses';
import { componentSchemas } from './schemas';

const DESCRIPTION = `The sync endpoint of digit-loop: clients send the answers their users gave to the digit recognizer, and fetch the live model.

Every schema here is generated from the zod contract (\`sync-server/src/contract/\`), the same one the server validates with.

${LIMITS_TEXT}

## Versioning
\`info.version\` is the API version (semver). Adding an optional request field, a response field, an error \`code\`, a route or a status for a new situation is not breaking, so clients must ignore response fields they do not know. Removing or renaming anything, making a request rule stricter, or changing a meaning is breaking: it raises the major version, and the new API is served beside the old under a new path prefix until clients have moved.`;

export type OpenApiDocument = ReturnType<typeof openApiDocument>;

/** The OpenAPI 3.1 document of the whole HTTP surface, built from the contract (never by hand). */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'digit-loop sync API',
      version: API_VERSION,
      description: DESCRIPTION,
    },
    servers: [{ url: '/', description: 'the server that serves this document' }],
    tags: [
      { name: 'feedback', description: 'Answers from users: the training data.' },
      { name: 'model', description: 'The live model and its files.' },
      { name: 'status', description: 'Progress for dashboards.' },
      { name: 'admin', description: 'Operator actions, behind `ADMIN_TOKEN`.' },
      { name: 'ops', description: 'Probes and metrics.' },
      { name: 'docs', description: 'This document and its reference page.' },
    ],
    paths: { ...API_PATHS, ...REVIEW_PATHS, ...OPS_PATHS },
    components: {
      schemas: componentSchemas(),
      responses: SHARED_RESPONSES,
      securitySchemes: {
        adminToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The server’s `ADMIN_TOKEN`; admin routes refuse all when it is unset.',
        },
        metricsToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The server’s optional `METRICS_TOKEN`.',
        },
      },
    },
  };
}
