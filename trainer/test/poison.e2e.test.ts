import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POISONED_DIGIT, runPoisonScenario, type ScenarioResult } from '../scripts/poison/scenario';
import { initBackend } from '../src/backend';
import { loadMnist } from '../src/data/mnist';
import { pick } from '../src/evaluate';
import { copyLive } from '../scripts/copy-live';
import { tempDir } from './helpers/tiny-model';

// The scenario of `npm run poison -w trainer`, with the default gate, caps and dispute rule,
// on a scratch copy of the committed live model: one client floods 300 1s labelled 7, honest
// clients answer after it, six rounds of wrong answers follow. A small model would not do:
// its per-digit recall moves by more than the floor from any retrain. The gate measures all of
// MNIST test, as the script does: on a 2,000-digit slice the floor of 0.2 point is 4 digits,
// and a retrain that reads 10,000 digits 0.03 point worse could lose 5 of them on the slice.
const range = (from: number, n: number) => Uint32Array.from({ length: n }, (_, i) => from + i);
const REPO_MODELS = fileURLToPath(new URL('../../models', import.meta.url));
let root: Awaited<ReturnType<typeof tempDir>> | undefined;
let result: ScenarioResult;

beforeAll(async () => {
  const backend = await initBackend({ quiet: true });
  // 6,000 training digits: about 300 1s in the first half for the flood, the second half for
  // honest and wrong answers; about 1,000 test digits per class, so a point of recall is ten.
  const mnist = {
    train: pick(loadMnist('train'), range(0, 6000)),
    test: loadMnist('test'),
  };
  root = await tempDir('poison-e2e-');
  const modelsDir = join(root.dir, 'models');
  await copyLive(REPO_MODELS, modelsDir, backend);
  result = await runPoisonScenario({
    modelsDir,
    dataDir: join(root.dir, 'new_data'),
    mnist,
    retrain: { evalWorkers: 0 },
  });
  // Eight retrain rounds: minutes on an idle 2-core box (`npm run poison -w trainer` prints
  // each round's time); the limit leaves room for a busy one.
}, 1_200_000);
afterAll(() => root?.cleanup());

const recallOf = (recall: (number | null)[]) => recall[POISONED_DIGIT]!;

describe('poisoning and the ratchet, end to end', () => {
  it('one client labelling 300 1s as 7 leaves the live recall of 1 within a point', () => {
    const [poison] = result.rounds;
    expect(poison).toMatchObject({ kind: 'poison', answers: 300, capped: 250 });
    const before = recallOf(result.before.perDigitRecall);
    expect(recallOf(poison!.live.perDigitRecall)).toBeGreaterThanOrEqual(before - 0.01);
  });

  it('100 honest answers from other clients after it still publish a new version', () => {
    const honest = result.rounds[1]!;
    expect(honest).toMatchObject({ kind: 'honest', outcome: 'published' });
    expect(honest.live.version).not.toBe(result.rounds[0]!.live.version);
    // The flood stays capped to 50 answers. Those the live model disputed last round now
    // wait for review (disputed.jsonl) and are no longer in the feedback at all.
    const [poison] = result.rounds;
    expect(poison!.disputed).toBeGreaterThan(0);
    expect(honest.capped).toBe(300 - poison!.disputed! - 50);
  });

  it('six rounds of wrong answers leave MNIST test at or above the champion − 0.2', () => {
    const ratchet = result.rounds.filter((r) => r.kind === 'ratchet');
    expect(ratchet).toHaveLength(6);
    for (const round of result.rounds) {
      expect(round.live.accuracy).toBeGreaterThanOrEqual(result.champion - 0.002);
      if (round.champion !== null) {
        expect(round.live.accuracy).toBeGreaterThanOrEqual(round.champion - 0.002);
        expect(round.champion).toBeGreaterThanOrEqual(result.champion);
      }
    }
  });
});
