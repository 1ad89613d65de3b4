import { describe, expect, it } from 'vitest';
import { manifestSchema, modelUrl, versionFromDate } from './manifest';

const V1 = '2026-11-26T12-00-00-000Z';
const V2 = '2026-11-27T08-30-00-000Z';

const entry = (version: string, parent: string | null) => ({
  version,
  modelUrl: modelUrl(version),
  createdAt: '2026-11-26T12:00:00.000Z',
  parent,
  trainedOn: { subsets: [], samples: 60000 },
  metrics: { mnistTestAccuracy: 0.9951, holdoutAccuracy: null },
  bytes: 560000,
  training: { kind: 'base' as const, epochs: 14, seed: 1, backend: 'wasm', durationMs: 3.4e6 },
});

const manifest = () => ({
  schemaVersion: 1,
  current: V2,
  versions: [entry(V1, null), entry(V2, V1)],
  history: [
    {
      startedAt: '2026-11-27T08:29:00.000Z',
      finishedAt: '2026-11-27T08:30:00.000Z',
      outcome: 'published',
      version: V2,
    },
    {
      startedAt: '2026-11-27T09:00:00.000Z',
      finishedAt: '2026-11-27T09:01:00.000Z',
      outcome: 'rejected',
      reason: 'holdout fell',
    },
  ],
});

describe('manifestSchema', () => {
  it('accepts a manifest with versions and history', () => {
    expect(manifestSchema.safeParse(manifest()).success).toBe(true);
  });

  it('makes sortable, URL-safe versions', () => {
    const a = versionFromDate(new Date('2026-01-02T03:04:05.006Z'));
    expect(a).toBe('2026-01-02T03-04-05-006Z');
    expect(encodeURIComponent(a)).toBe(a);
    expect([V2, a, V1].sort()).toEqual([a, V1, V2]);
  });

  it.each([
    [
      'a current that is not a version',
      (m: ReturnType<typeof manifest>) => ({ ...m, current: '2030-01-01T00-00-00-000Z' }),
    ],
    ['a wrong schemaVersion', (m: ReturnType<typeof manifest>) => ({ ...m, schemaVersion: 2 })],
    ['no versions', (m: ReturnType<typeof manifest>) => ({ ...m, versions: [] })],
    [
      'a path-like version',
      (m: ReturnType<typeof manifest>) => ({
        ...m,
        current: '../x',
        versions: [entry('../x' as string, null)],
      }),
    ],
    [
      'accuracy above 1',
      (m: ReturnType<typeof manifest>) => ({
        ...m,
        versions: [{ ...entry(V2, null), metrics: { mnistTestAccuracy: 99.5 } }],
      }),
    ],
    [
      'an unknown outcome',
      (m: ReturnType<typeof manifest>) => ({
        ...m,
        history: [{ ...m.history[0], outcome: 'maybe' }],
      }),
    ],
    ['an unknown field', (m: ReturnType<typeof manifest>) => ({ ...m, extra: 1 })],
  ])('rejects %s', (_name, change) => {
    expect(manifestSchema.safeParse(change(manifest())).success).toBe(false);
  });
});
