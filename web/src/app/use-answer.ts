import { onBeforeUnmount, ref, shallowRef, type Ref } from 'vue';
import type DrawPad from '../draw/DrawPad.vue';
import type { PadSnapshot } from '../draw/strokes';
import { useFeedback } from '../feedback/use-feedback';
import { errorMessage } from '../log';
import type { RecognizeState } from './recognize-state';

type Pad = InstanceType<typeof DrawPad>;

/** What the toast says, and while the answer can be taken back, how. */
export interface AnswerToast {
  text: string;
  undo: { id: string; until: number; snapshot: PadSnapshot } | null;
}

// How long a toast without an Undo (an undone answer, an error) stays.
const NOTE_MS = 4000;

/**
 * Records answers and takes them back. After an answer the pad is cleared and a toast offers
 * Undo until the answer's undo window closes; undoing deletes the answer before sync may take
 * it and puts the drawing back. Focus goes to the pad after either, so typing goes on.
 */
export function useAnswer(pad: Ref<Pad | null>, state: Ref<RecognizeState>, reset: () => void) {
  const feedback = useFeedback();
  const recording = ref(false);
  const toast = shallowRef<AnswerToast | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;

  function show(next: AnswerToast | null, ms: number): void {
    clearTimeout(timer);
    toast.value = next;
    if (next) timer = setTimeout(() => (toast.value = null), Math.max(0, ms));
  }

  async function answer(label: number): Promise<void> {
    const current = state.value;
    if (current.kind !== 'shown' || recording.value || !pad.value) return;
    recording.value = true;
    const best = current.prediction.top[0]!;
    const snapshot = pad.value.snapshot();
    try {
      const { id, undoUntil } = await feedback.record({
        pixels: current.pixels,
        label,
        predicted: best.digit,
        confidence: Math.min(1, Math.max(0, best.probability)),
        modelVersion: current.version,
      });
      reset();
      const text = `Saved “${label}” on this device. It is sent in a few seconds unless you undo.`;
      show({ text, undo: { id, until: undoUntil, snapshot } }, undoUntil - Date.now());
    } catch (error) {
      show({ text: `Could not save the answer: ${errorMessage(error)}`, undo: null }, NOTE_MS);
    } finally {
      recording.value = false;
      pad.value?.focus();
    }
  }

  /** Takes back the last answer if its window is still open; false when there is none. */
  async function undoLast(): Promise<boolean> {
    const last = toast.value?.undo;
    if (!last) return false;
    show(null, 0);
    const undone = await feedback.undo(last.id).catch(() => false);
    if (undone) {
      pad.value?.restore(last.snapshot);
      show({ text: 'Undone: that answer was deleted and never sent.', undo: null }, NOTE_MS);
    } else {
      show({ text: 'Too late to undo: that answer is already on its way.', undo: null }, NOTE_MS);
    }
    pad.value?.focus();
    return true;
  }

  onBeforeUnmount(() => clearTimeout(timer));
  return { recording, toast, answer, undoLast };
}
