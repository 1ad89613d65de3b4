import { describe, expect, it, vi } from 'vitest';
import { ref, shallowRef } from 'vue';
import type { Prediction } from '../predict/predictor';
import { padImage } from '../screen/test-strokes';

// The predictor is the one part replaced here: what is under test is how the view state follows
// a prediction whose "learned from your answers" badge is decided after it is shown.
const fake = {
  state: ref('ready'),
  version: ref('v1'),
  predict: vi.fn<(pixels: Uint8Array) => Promise<Prediction>>(),
};
vi.mock('../predict/use-predictor', () => ({ usePredictor: () => fake }));
const { useRecognize } = await import('./use-recognize');

/** A seven as the pad would give it. */
const seven = padImage([
  [
    [0.25, 0.2],
    [0.75, 0.2],
    [0.45, 0.85],
  ],
]);

function pad() {
  return shallowRef({ pixels: () => seven, hasImage: false, reset: () => {} }) as never;
}

/** A confident 7 whose badge waits for `check`, with the hand it was read through. */
function prediction(check: Promise<boolean>): Prediction {
  const probabilities = new Float32Array(10).fill(0.001);
  probabilities[7] = 0.991;
  return {
    probabilities,
    top: [{ digit: 7, probability: 0.991 }],
    ms: 0.5,
    personal: false,
    hand: { rotationDeg: 10, slant: 0, aspect: 1 },
    personalCheck: check,
  } as unknown as Prediction;
}

function deferred() {
  let resolve!: (v: boolean) => void;
  const promise = new Promise<boolean>((r) => (resolve = r));
  return { promise, resolve };
}

/** After `check` resolved and everything it queued has run. */
async function settle(check: Promise<boolean>): Promise<void> {
  await check;
  await new Promise((done) => setTimeout(done, 0));
}

function shownPrediction(state: ReturnType<typeof useRecognize>['state']): Prediction | null {
  const s = state.value;
  if (s.kind === 'shown') return s.prediction;
  if (s.kind === 'unsure') return s.shown?.prediction ?? null;
  return null;
}

describe('useRecognize and the deferred personal badge', () => {
  it('shows the answer at once and the badge when the check says the memory decided', async () => {
    const check = deferred();
    fake.predict.mockResolvedValueOnce(prediction(check.promise));
    const r = useRecognize(pad());
    await r.recognize();
    expect(shownPrediction(r.state)?.personal).toBe(false);
    check.resolve(true);
    await vi.waitFor(() => expect(shownPrediction(r.state)?.personal).toBe(true));
    expect(shownPrediction(r.state)?.personalCheck).toBeNull();
    expect(shownPrediction(r.state)?.top[0]?.digit).toBe(7);
  });

  it('keeps the badge off when the check says the model alone gives the same answer', async () => {
    const check = deferred();
    fake.predict.mockResolvedValueOnce(prediction(check.promise));
    const r = useRecognize(pad());
    await r.recognize();
    const before = r.state.value;
    check.resolve(false);
    await vi.waitFor(() => expect(r.state.value).not.toBe(before));
    expect(shownPrediction(r.state)?.personal).toBe(false);
  });

  it('drops a check that arrives after a newer drawing or a reset', async () => {
    const first = deferred();
    const second = deferred();
    fake.predict
      .mockResolvedValueOnce(prediction(first.promise))
      .mockResolvedValueOnce(prediction(second.promise));
    const r = useRecognize(pad());
    await r.recognize();
    await r.recognize();
    const newer = shownPrediction(r.state);
    second.resolve(false);
    await vi.waitFor(() => expect(shownPrediction(r.state)).not.toBe(newer));
    first.resolve(true);
    await settle(first.promise);
    expect(shownPrediction(r.state)?.personal).toBe(false);

    const third = deferred();
    fake.predict.mockResolvedValueOnce(prediction(third.promise));
    await r.recognize();
    r.reset();
    third.resolve(true);
    await settle(third.promise);
    expect(r.state.value.kind).toBe('empty');
  });
});
