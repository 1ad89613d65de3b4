import { ref } from 'vue';
import { indexedDbStore } from './memory-store';
import { PersonalMemory } from './personal-memory';

let memory: PersonalMemory | null = null;
/** How many answers the memory holds, for the views; updated on every change. */
const size = ref(0);

/** The app's one personal memory (IndexedDB), shared by the predictor and the views. */
export function usePersonalMemory() {
  memory ??= new PersonalMemory(indexedDbStore());
  const m = memory;
  return {
    memory: m,
    size,
    /** Re-reads the count after a change the caller made. */
    refresh: () => (size.value = m.size),
  };
}

/**
 * Forgets the handwriting this device learned ("Forget my handwriting", and the app's Forget
 * me): every remembered answer, in IndexedDB and in the page. Predictions are the global
 * model's alone until the user answers again.
 */
export async function clearPersonalMemory(): Promise<void> {
  const { memory: m, refresh } = usePersonalMemory();
  await m.clear();
  refresh();
}
