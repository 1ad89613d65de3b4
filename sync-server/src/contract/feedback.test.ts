import { describe, expect, it } from 'vitest';
import {
  errorBodySchema,
  feedbackBatchSchema,
  feedbackItemSchema,
  feedbackResponseSchema,
} from './feedback';
import { encodePixels } from './pixels';

const valid = () => ({
  id: '3f1c2b7e-8a4d-4c1e-9b2a-5d6e7f8a9b0c',
  pixels: encodePixels(new Uint8Array(784).fill(128)),
  label: 7,
  predicted: 1,
  confidence: 0.62,
  modelVersion: '2026-11-26T12-00-00-000Z',
  createdAt: '2026-11-26T12:00:00.000Z',
});

describe('feedbackItemSchema', () => {
  it('accepts a full item and one with nulls', () => {
    expect(feedbackItemSchema.safeParse(valid()).success).toBe(true);
    const nulls = { ...valid(), predicted: null, confidence: null, modelVersion: null };
    expect(feedbackItemSchema.safeParse(nulls).success).toBe(true);
  });

  it.each([
    ['a wrong pixel length', { pixels: btoa('x'.repeat(783)) }],
    ['pixels that are not base64', { pixels: '!'.repeat(1046) + '==' }],
    ['label 10', { label: 10 }],
    ['label -1', { label: -1 }],
    ['a fractional label', { label: 2.5 }],
    ['a string label', { label: '7' }],
    ['an id that is not a UUID', { id: 'not-a-uuid' }],
    ['a path-like id', { id: '../../etc/passwd' }],
    ['confidence above 1', { confidence: 1.5 }],
    ['predicted 10', { predicted: 10 }],
    ['a createdAt that is not ISO', { createdAt: 'yesterday' }],
    ['an unknown field', { extra: true }],
  ])('rejects %s', (_name, patch) => {
    expect(feedbackItemSchema.safeParse({ ...valid(), ...patch }).success).toBe(false);
  });

  it('canonicalizes the id to lower case, so one id has one spelling', () => {
    const upper = { ...valid(), id: valid().id.toUpperCase() };
    expect(feedbackItemSchema.parse(upper).id).toBe(valid().id);
  });

  it('rejects a missing label', () => {
    const { label: _label, ...rest } = valid();
    expect(feedbackItemSchema.safeParse(rest).success).toBe(false);
  });
});

describe('feedbackBatchSchema', () => {
  it('takes 1 to 100 items and judges none of them', () => {
    expect(feedbackBatchSchema.safeParse({ items: [1] }).success).toBe(true);
    expect(feedbackBatchSchema.safeParse({ items: Array(100).fill(valid()) }).success).toBe(true);
  });

  it.each([
    ['no items', {}],
    ['an empty batch', { items: [] }],
    ['101 items', { items: Array(101).fill({}) }],
    ['items that are not an array', { items: 'x' }],
    ['an unknown field', { items: [1], more: 1 }],
  ])('rejects %s', (_name, body) => {
    expect(feedbackBatchSchema.safeParse(body).success).toBe(false);
  });
});

describe('responses', () => {
  it('accepts the documented 200 body and rejects a missing subset', () => {
    const body = {
      accepted: 2,
      duplicates: 1,
      rejected: [{ index: 3, id: 'x', reason: 'label: too big' }],
      subset: { index: 0, count: 2, threshold: 10 },
    };
    expect(feedbackResponseSchema.safeParse(body).success).toBe(true);
    expect(feedbackResponseSchema.safeParse({ ...body, subset: undefined }).success).toBe(false);
  });

  it('accepts the JSON error body with and without details', () => {
    expect(errorBodySchema.safeParse({ error: { code: 'bad_json', message: 'x' } }).success).toBe(
      true,
    );
    expect(
      errorBodySchema.safeParse({ error: { code: 'x', message: 'y', details: [1] } }).success,
    ).toBe(true);
    expect(errorBodySchema.safeParse({ error: 'nope' }).success).toBe(false);
    expect(errorBodySchema.safeParse({ error: { code: 'x' } }).success).toBe(false);
  });
});
