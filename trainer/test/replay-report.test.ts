import { describe, expect, it } from 'vitest';
import { replayFlagsSchema, variant } from '../scripts/replay/flags';
import { replayRun, reportLines, type ReplayOutcome } from '../scripts/replay/report';
import { byWriter, errorsRemoved, paired } from '../scripts/replay/score';
import type { SampleSet } from '../src/train';

const set = (labels: number[]): SampleSet => ({
  images: new Uint8Array(labels.length * 784),
  labels: Uint8Array.from(labels),
  count: labels.length,
});

describe('variant (the row a run is recorded under)', () => {
  it('names only the flags that differ from their defaults, as typed', () => {
    expect(variant(replayFlagsSchema.parse({}))).toBe('default');
    expect(variant(replayFlagsSchema.parse({ lr: '0.0001', epochs: '5' }))).toBe(
      '--epochs 5 --lr 1e-4',
    );
  });

  it('leaves out what changes how a run is carried out, not what it measures', () => {
    const flags = replayFlagsSchema.parse({ explain: true, 'models-dir': '/elsewhere' });
    expect(variant(flags)).toBe('default');
    expect(variant({ ...flags, 'writer-seed': 7 })).toBe('--writer-seed 7');
  });
});

describe('the paired comparison', () => {
  const judged = set([0, 1, 2, 3, 4, 5]);
  const before = Uint8Array.from([0, 1, 9, 9, 9, 5]);
  const after = Uint8Array.from([0, 9, 2, 3, 9, 5]);

  it('counts the digits fixed and broken on the same digits', () => {
    const p = paired(judged, before, after);
    expect(p).toMatchObject({ fixed: 2, broken: 1 });
    expect(p.z).toBeCloseTo(1 / Math.sqrt(3));
    expect(paired(judged, before, before).z).toBe(0);
  });

  it('splits the judged digits writer by writer', () => {
    expect(byWriter(judged, 3, before, after)).toEqual([
      { before: 2 / 3, after: 2 / 3 },
      { before: 1 / 3, after: 2 / 3 },
    ]);
  });

  it('gives the share of the errors removed, negative when errors grew', () => {
    expect(errorsRemoved(0.8, 0.9)).toBeCloseTo(0.5);
    expect(errorsRemoved(0.9, 0.8)).toBeCloseTo(-1);
    expect(errorsRemoved(1, 1)).toBeNull();
    expect(errorsRemoved(undefined, 0.9)).toBeNull();
  });
});

describe('the run recorded and printed', () => {
  const writers = set([0, 1, 2, 3]);
  const mnist = set([7, 7]);
  const outcome: ReplayOutcome = {
    flags: replayFlagsSchema.parse({ judged: '2', writers: '2' }),
    live: 'v1',
    backend: 'wasm',
    feedback: 20,
    judged: { writers, 'mnist-test 5000+': mnist },
    before: {
      version: 'v1',
      scores: { writers: 0.5, 'mnist-test 5000+': 1 },
      predictions: { writers: Uint8Array.from([0, 9, 9, 3]), 'mnist-test 5000+': mnist.labels },
    },
    after: {
      version: 'v2',
      scores: { writers: 1, 'mnist-test 5000+': 1 },
      predictions: { writers: writers.labels, 'mnist-test 5000+': mnist.labels },
    },
    rounds: [
      {
        samples: 20,
        wallMs: 1500,
        result: {
          outcome: 'published',
          reason: 'ok',
          metrics: { liveMnistTestAccuracy: 0.99, candidateMnistTestAccuracy: 0.98 },
          phasesMs: {},
          subsets: [0, 1],
        },
      },
    ],
  };
  const machine = { cpus: 2, cpuModel: 'x', memGiB: 24, node: 'v20', load: { min: 0, max: 1 } };

  it('records each judged set paired, and the writers one writer by writer', () => {
    const run = replayRun(outcome, machine);
    expect(run.variant).toBe('--writers 2 --judged 2');
    expect(run.sets).toEqual([
      expect.objectContaining({
        name: 'writers',
        digits: 4,
        fixed: 2,
        broken: 0,
        perWriter: [
          { before: 0.5, after: 1 },
          { before: 0.5, after: 1 },
        ],
      }),
      expect.not.objectContaining({ perWriter: expect.anything() }),
    ]);
    expect(run.rounds[0]).toMatchObject({
      samples: 20,
      outcome: 'published',
      mnistTest: { before: 0.99, after: 0.98 },
      holdout: { before: null, after: null },
    });
  });

  it('prints the errors removed and each writer before → after', () => {
    const lines = reportLines(outcome).join('\n');
    expect(lines).toContain('2 fixed, 0 broken');
    expect(lines).toContain('errors removed 100.00%');
    expect(lines).toContain('per writer, % of 2 judged digits right: 0 50→100, 1 50→100');
  });
});
