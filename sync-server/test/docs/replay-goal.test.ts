import { describe, expect, it } from 'vitest';
import { goalOf, learningGoalRow, runsAtDefaults } from '../../scripts/docs/replay-goal';
import { readSources, type Sources } from '../../scripts/docs/sources';

type ReplayRun = Sources['replay'][number];

const sources = readSources();
const model = sources.replay.find((run) => run.rounds.length === 1)!;

/** A one-round run on 1,000 writer digits: `errors` of them wrong before, `left` after. */
function run(
  variant: string,
  o: { errors?: number; left?: number; mnist?: [number, number]; outcome?: string } = {},
): ReplayRun {
  const { errors = 242, left = 121, mnist = [0.9962, 0.9952], outcome = 'published' } = o;
  const writers = {
    ...model.sets[0]!,
    name: 'writers',
    digits: 1000,
    before: 1 - errors / 1000,
    after: 1 - left / 1000,
  };
  const round = { ...model.rounds[0]!, outcome, mnistTest: { before: mnist[0], after: mnist[1] } };
  return { ...model, variant, sets: [writers], rounds: [round] };
}

describe('the learning goal from the replay runs', () => {
  it('counts only single-round runs at the defaults, on any population or retrain seed', () => {
    const runs = [
      run('default'),
      run('--seed 2'),
      run('--writer-seed 7 --seed 3'),
      run('--writer-strength 0.5'),
      run('--blend 0.5'),
      run('--seed 2 --tune top'),
      run('--writers 1'),
      { ...run('--per-round 50'), rounds: [model.rounds[0]!, model.rounds[0]!] },
    ];
    expect(runsAtDefaults(runs).map((r) => r.variant)).toEqual([
      'default',
      '--seed 2',
      '--writer-seed 7 --seed 3',
      '--writer-strength 0.5',
    ]);
  });

  it('is met at exactly half the errors removed and 0.1 point of MNIST test lost', () => {
    // 99.62 → 99.52 % is 10 digits of 10,000; in floating point it is a hair over 0.1 point.
    expect(goalOf(run('default'))).toEqual({ removed: 0.5, mnistDrop: 0.1, met: true });
    expect(goalOf(run('default', { left: 122 }))?.met).toBe(false);
    expect(goalOf(run('default', { mnist: [0.9962, 0.9951] }))).toMatchObject({
      mnistDrop: 0.11,
      met: false,
    });
    expect(goalOf(run('default', { outcome: 'rejected' }))?.met).toBe(false);
  });

  it('puts the spread and the count of runs that met it in the summary', () => {
    const replay = [
      run('default'),
      run('--seed 2', { left: 150, mnist: [0.9962, 0.9957] }),
      run('--seed 3', { left: 100, mnist: [0.9962, 0.9949] }),
    ];
    const [, figure] = learningGoalRow({ ...sources, replay });
    expect(figure).toContain('38–59 % of their errors removed');
    expect(figure).toContain('MNIST test 0.05–0.13 point down');
    expect(figure).toContain('goal met in 1 of 3');
  });
});
