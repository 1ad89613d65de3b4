import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { OpenApiDocument } from './document';

/** The `$id` under which a document is registered, so `$ref`s into it resolve. */
export const DOC_ID = 'urn:digit-loop:openapi';

/**
 * A JSON Schema 2020-12 validator (OpenAPI 3.1's dialect) holding `doc`, for tests: a schema
 * anywhere in the document is reached as `{ $ref: DOC_ID + '#/json/pointer' }`.
 */
export function documentValidator(doc: OpenApiDocument) {
  // strict: false because the document is no schema itself (openapi, paths…) and its schemas
  // carry OpenAPI's own keywords (example, contentMediaType).
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addSchema({ ...structuredClone(doc), $id: DOC_ID });
  return {
    /** Errors of `value` against the schema at `pointer` (a JSON pointer into the document). */
    errors(pointer: string, value: unknown): string[] {
      const validate = ajv.compile({ $ref: `${DOC_ID}#${pointer}` });
      if (validate(value)) return [];
      return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
    },
  };
}

/** `a/b~c` as one JSON-pointer segment. */
export const pointerSegment = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
