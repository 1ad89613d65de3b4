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

describe('manifest champion and gate thresholds', () => {
  const champion = { version: V1, mnistTestAccuracy: 0.9962, perDigitRecall: Array(10).fill(0.99) };
  const thresholds = { maxMnistDrop: 0.2, maxDigitDrop: 1, holdoutAlpha: 0.05 };
  const withGate = () => {
    const m = manifest();
    return { ...m, champion, history: [{ ...m.history[0], thresholds }] };
  };

  it('parses manifests without them (older ones) and with them', () => {
    expect(manifestSchema.safeParse(manifest()).success).toBe(true);
    expect(manifestSchema.parse(withGate())).toMatchObject({ champion, history: [{ thresholds }] });
  });

  it('accepts a null recall for a digit the test set lacks', () => {
    const recall = [null, ...Array(9).fill(1)];
    const m = { ...withGate(), champion: { ...champion, perDigitRecall: recall } };
    expect(manifestSchema.safeParse(m).success).toBe(true);
  });

  it.each([
    ['nine recalls', { champion: { ...champion, perDigitRecall: Array(9).fill(0.99) } }],
    ['a recall above 1', { champion: { ...champion, perDigitRecall: Array(10).fill(99) } }],
    ['a champion without version', { champion: { ...champion, version: undefined } }],
  ])('rejects a champion with %s', (_name, change) => {
    expect(manifestSchema.safeParse({ ...withGate(), ...change }).success).toBe(false);
  });

  it('rejects thresholds with a missing or unknown field, or alpha above 1', () => {
    const m = withGate();
    for (const bad of [
      { maxMnistDrop: 0.2, maxDigitDrop: 1 },
      { ...thresholds, extra: 1 },
      { ...thresholds, holdoutAlpha: 5 },
    ]) {
      const history = [{ ...m.history[0], thresholds: bad }];
      expect(manifestSchema.safeParse({ ...m, history }).success).toBe(false);
    }
  });
});
