import { validate } from '@readme/openapi-parser';
import { describe, expect, it } from 'vitest';
import { API_VERSION } from '../contract';
import { documentValidator, pointerSegment } from './ajv';
import { openApiDocument } from './document';

const doc = openApiDocument();

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 for a real validator', async () => {
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid ? [] : result.errors.map((e) => e.message)).toEqual([]);
    expect(result.specification).toBe('OpenAPI');
    expect(doc.openapi).toBe('3.1.0');
  });

  it('carries the API version and names every operation once', () => {
    expect(doc.info.version).toBe(API_VERSION);
    const ids = Object.values(doc.paths).flatMap((p) =>
      Object.values(p).map((op: { operationId: string }) => op.operationId),
    );
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has examples that its own schemas accept', () => {
    const ajv = documentValidator(doc);
    const checked: string[] = [];
    walkExamples(doc, '', (schemaPointer, name, value) => {
      expect(ajv.errors(schemaPointer, value), name).toEqual([]);
      checked.push(name);
    });
    expect(checked.length).toBeGreaterThan(20);
  });

  it('takes its component schemas from the contract, strictly', () => {
    const item = doc.components.schemas.FeedbackItem as { additionalProperties: unknown };
    expect(item.additionalProperties).toBe(false);
    const ajv = documentValidator(doc);
    const batch = '/components/schemas/FeedbackBatch';
    expect(ajv.errors(batch, { items: [] })).not.toEqual([]);
    expect(ajv.errors(batch, { items: [{}] })).not.toEqual([]);
  });
});

/** Calls `check` for every media type example, with the pointer of its schema. */
function walkExamples(
  node: unknown,
  pointer: string,
  check: (schema: string, name: string, value: unknown) => void,
): void {
  if (typeof node !== 'object' || node === null) return;
  const media = node as { schema?: unknown; examples?: Record<string, { value: unknown }> };
  if (media.schema && media.examples) {
    for (const [name, { value }] of Object.entries(media.examples))
      check(`${pointer}/schema`, `${pointer} ${name}`, value);
  }
  for (const [key, child] of Object.entries(node))
    walkExamples(child, `${pointer}/${pointerSegment(key)}`, check);
}
