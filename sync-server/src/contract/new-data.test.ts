import { describe, expect, it } from 'vitest';
import {
  countFileSchema,
  metadataFileSchema,
  parsePngFileName,
  parseSubsetDirName,
  pngFileName,
  subsetDirName,
} from './new-data';

// Verbatim from the original system (test/fixtures/original-new_data/sub_set_0/metadata.json).
const ORIGINAL = [
  {
    filename: '2_1758146924191.png',
    true_label: 2,
    created_at: 1758146924191,
    source: 'streamlit_feedback',
  },
  {
    filename: '6_1758156253839.png',
    true_label: 6,
    created_at: 1758156253839,
    source: 'streamlit_feedback',
  },
];

const OURS = {
  filename: '7_1764158400000_3f1c2b7e.png',
  true_label: 7,
  created_at: 1764158400000,
  source: 'web_feedback',
  id: '3f1c2b7e-8a4d-4c1e-9b2a-5d6e7f8a9b0c',
  predicted_label: 1,
  confidence: 0.62,
  model_version: '2026-11-26T12-00-00-000Z',
};

describe('count.json', () => {
  it('accepts the original shape and refuses others', () => {
    expect(countFileSchema.parse({ current_count: 0, sub_set_count: 5 })).toEqual({
      current_count: 0,
      sub_set_count: 5,
    });
    expect(countFileSchema.safeParse({ current_count: -1, sub_set_count: 0 }).success).toBe(false);
    expect(countFileSchema.safeParse({ current_count: '1', sub_set_count: 0 }).success).toBe(false);
    expect(countFileSchema.safeParse({ current_count: 1 }).success).toBe(false);
  });
});

describe('metadata.json', () => {
  it('accepts the original entries as they are', () => {
    expect(metadataFileSchema.safeParse(ORIGINAL).success).toBe(true);
  });

  it('accepts our extended entries, with null predictions', () => {
    expect(metadataFileSchema.safeParse([OURS]).success).toBe(true);
    const nulls = { ...OURS, predicted_label: null, confidence: null, model_version: null };
    expect(metadataFileSchema.safeParse([nulls]).success).toBe(true);
  });

  it.each([
    ['label 10', { true_label: 10 }],
    ['a filename outside the rule', { filename: '../x.png' }],
    ['a created_at that is a string', { created_at: '2026' }],
    ['an id that is not a UUID', { id: 'abc' }],
    ['an unknown field', { colour: 'red' }],
  ])('rejects %s', (_name, patch) => {
    expect(metadataFileSchema.safeParse([{ ...OURS, ...patch }]).success).toBe(false);
  });
});

describe('names', () => {
  it('builds and parses PNG names in both forms', () => {
    const name = pngFileName(7, 1764158400000, '3F1C2B7E-8a4d-4c1e-9b2a-5d6e7f8a9b0c');
    expect(name).toBe('7_1764158400000_3f1c2b7e.png');
    expect(parsePngFileName(name)).toEqual({
      label: 7,
      createdAtMs: 1764158400000,
      id8: '3f1c2b7e',
    });
    expect(parsePngFileName('2_1758146924191.png')).toEqual({
      label: 2,
      createdAtMs: 1758146924191,
      id8: null,
    });
    expect(parsePngFileName('12_1.png')).toBeNull();
    expect(() => pngFileName(10, 1, '3f1c2b7e')).toThrow(/label/);
  });

  it('builds and parses subset folder names', () => {
    expect(subsetDirName(3)).toBe('sub_set_3');
    expect(parseSubsetDirName('sub_set_12')).toBe(12);
    expect(parseSubsetDirName('sub_set_01')).toBeNull();
    expect(parseSubsetDirName('sub_set_x')).toBeNull();
  });
});
