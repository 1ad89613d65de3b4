import { ref, shallowRef, watch, type Ref } from 'vue';
import type DrawPad from '../draw/DrawPad.vue';
import { rgbaToGray } from '../draw/image-to-gray';
import { preprocessGray } from '../draw/preprocess';
import { errorMessage, log } from '../log';
import type { Prediction } from '../predict/predictor';
import { usePredictor } from '../predict/use-predictor';
import { inkStats, screenDrawing, screenPhoto } from '../screen';
import type { RecognizeState } from './recognize-state';

type Pad = InstanceType<typeof DrawPad>;

/**
 * Reads the pad, screens the raw drawing, runs the model and decides what the answer area
 * shows. The screen runs before `toMnist`; the model still runs on a doubtful drawing so that
 * "answer anyway" can record what it predicted.
 */
export function useRecognize(pad: Ref<Pad | null>) {
  const state = shallowRef<RecognizeState>({ kind: 'empty' });
  const predictor = usePredictor();
  const modelMs = ref<number | null>(null);
  let sequence = 0;

  async function recognize(): Promise<void> {
    const seq = ++sequence;
    let image;
    try {
      image = pad.value?.pixels() ?? null;
    } catch (error) {
      state.value = { kind: 'invalid', message: errorMessage(error) };
      return;
    }
    if (!image) return void (state.value = { kind: 'unsure', reason: 'blank', shown: null });
    const gray = rgbaToGray(image);
    const stats = inkStats(gray, image.width, image.height);
    const screen = pad.value?.hasImage ? screenPhoto : screenDrawing;
    const raw = screen(stats, null);
    if (!raw.ok && raw.reason === 'blank') {
      return void (state.value = { kind: 'unsure', reason: 'blank', shown: null });
    }
    const pre = preprocessGray(gray, image.width, image.height);
    if (!pre.ok) return void (state.value = { kind: 'invalid', message: pre.message });
    state.value = { kind: 'waiting', pixels: pre.pixels };
    if (predictor.state.value !== 'ready') return; // retried once the model is ready
    try {
      const prediction = await predictor.predict(pre.pixels);
      if (seq !== sequence) return; // a newer drawing won
      modelMs.value = prediction.ms;
      const shown = { pixels: pre.pixels, prediction, version: predictor.version.value };
      const verdict = screen(stats, prediction.top[0]!.probability);
      state.value = verdict.ok
        ? { kind: 'shown', ...shown }
        : { kind: 'unsure', reason: verdict.reason, shown };
      prediction.personalCheck
        ?.then((personal) => {
          if (seq === sequence) showPersonal(prediction, personal);
        })
        .catch((error: unknown) => log.warn('could not tell whether the memory decided', error));
    } catch (error) {
      if (seq === sequence) state.value = { kind: 'invalid', message: errorMessage(error) };
    }
  }

  /** The badge for a prediction still shown, once its check is in (see `Prediction`). */
  function showPersonal(prediction: Prediction, personal: boolean): void {
    const s = state.value;
    const checked = { ...prediction, personal, personalCheck: null };
    if (s.kind === 'shown' && s.prediction === prediction) {
      state.value = { ...s, prediction: checked };
    } else if (s.kind === 'unsure' && s.shown?.prediction === prediction) {
      state.value = { ...s, shown: { ...s.shown, prediction: checked } };
    }
  }

  /** Back to a fresh pad and the hint, with no change event (nothing to recognize). */
  function reset(): void {
    sequence++;
    pad.value?.reset();
    state.value = { kind: 'empty' };
  }

  /** The user answers a doubtful drawing after all: show the answers for it. */
  function answerAnyway(): void {
    const current = state.value;
    if (current.kind === 'unsure' && current.shown)
      state.value = { kind: 'shown', ...current.shown };
  }

  watch(predictor.state, (s) => s === 'ready' && state.value.kind === 'waiting' && recognize());

  return { state, modelMs, recognize, reset, answerAnyway };
}
