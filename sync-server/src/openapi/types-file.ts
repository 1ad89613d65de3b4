import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { format, resolveConfig } from 'prettier';
import { openApiDocument } from './document';

/** The committed client types, generated from the document (`npm run openapi:types`). */
export const TYPES_FILE = fileURLToPath(new URL('../../examples/api-types.ts', import.meta.url));

const HEADER = `// Generated from the OpenAPI document (GET /api/openapi.json) by openapi-typescript:
// \`npm run openapi:types -w sync-server\`. Do not edit; a test fails when it is stale.

`;

/**
 * The TypeScript `paths` and `components` of the document, as openapi-typescript writes them,
 * formatted like the rest of the repository so the committed copy passes `prettier --check`.
 */
export async function renderTypes(): Promise<string> {
  const ast = await openapiTS(JSON.stringify(openApiDocument()));
  const options = (await resolveConfig(TYPES_FILE)) ?? {};
  return format(HEADER + astToString(ast), { ...options, filepath: TYPES_FILE });
}
