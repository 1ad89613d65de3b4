import { expect } from 'vitest';
import { documentValidator, pointerSegment } from '../src/openapi/ajv';
import { openApiDocument } from '../src/openapi/document';

type Obj = Record<string, unknown>;
interface MediaType {
  schema?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface ResponseObject {
  $ref?: string;
  headers?: Record<string, { required?: boolean }>;
  content?: Record<string, MediaType>;
}

/**
 * Checks real answers against the document: the status must be documented for the operation
 * (5xx may fall to `default`), required headers present, the content type documented, a JSON
 * body valid for its schema, and an error `code` one of the documented examples. Records each
 * (operation, status) it saw, so a test can tell which documented answers were never produced.
 */
export function openApiChecker() {
  const doc = openApiDocument();
  const ajv = documentValidator(doc);
  const seen = new Set<string>();

  async function check(res: Response, method: string, path: string): Promise<void> {
    const key = `${method.toUpperCase()} ${path} ${res.status}`;
    const opPointer = `/paths/${pointerSegment(path)}/${method}`;
    const op = (doc.paths as Record<string, Record<string, { responses: Obj }>>)[path]?.[method];
    expect(op, `${method} ${path} is documented`).toBeDefined();
    const status = String(res.status);
    const documented = status in op!.responses;
    expect(documented || res.status >= 500, `${key} is documented`).toBe(true);
    let pointer = `${opPointer}/responses/${documented ? status : 'default'}`;
    let response = op!.responses[documented ? status : 'default'] as ResponseObject;
    if (response.$ref) {
      pointer = response.$ref.slice(1);
      const name = pointer.split('/').at(-1)!;
      response = (doc.components.responses as Record<string, ResponseObject>)[name]!;
    }
    for (const [name, header] of Object.entries(response.headers ?? {}))
      if (header.required) expect(res.headers.get(name), `${key} header ${name}`).not.toBeNull();
    const body = await res.text();
    if (!response.content) {
      expect(body, `${key} has no body`).toBe('');
      seen.add(key);
      return;
    }
    const type = baseType(res.headers.get('content-type'));
    const mediaKey = Object.keys(response.content).find((k) => baseType(k) === type);
    expect(mediaKey, `${key} content type ${type}`).toBeDefined();
    if (type === 'application/json') {
      const value: unknown = JSON.parse(body);
      const where = `${pointer}/content/${pointerSegment(mediaKey!)}/schema`;
      expect(ajv.errors(where, value), `${key} body`).toEqual([]);
      expectDocumentedCode(key, value, response.content[mediaKey!]!);
    }
    seen.add(key);
  }

  /** Every documented (operation, status), `default` aside. */
  function documented(): string[] {
    return Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { responses: Obj }>).flatMap(([method, op]) =>
        Object.keys(op.responses)
          .filter((s) => s !== 'default')
          .map((s) => `${method.toUpperCase()} ${path} ${s}`),
      ),
    );
  }

  return { check, seen, documented };
}

function expectDocumentedCode(key: string, value: unknown, media: MediaType): void {
  const code = (value as { error?: { code?: string } }).error?.code;
  if (code === undefined) return;
  const codes = Object.values(media.examples ?? {}).map(
    (e) => (e.value as { error?: { code?: string } }).error?.code,
  );
  expect(codes, `${key} documents code ${code}`).toContain(code);
}

function baseType(contentType: string | null): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}
