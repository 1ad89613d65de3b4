import { modelUrl } from 'sync-server/contract';
import { useFeedback } from '../feedback/use-feedback';
import { log } from '../log';
import { usePersonalMemory } from '../memory/use-personal-memory';
import { readManifest } from '../model/manifest';
import { MANIFEST_POLL_MS, manifestPoller } from '../model/manifest-poll';
import { keepVersion, keptVersions } from '../model/model-store';
import { loadChoice, saveChoice, timing } from './backend-choice';
import { firstInput } from './first-input';
import { measureInWorker } from './measure';
import { createPredictor, type Predictor } from './predictor';

export type { Prediction, PredictorState } from './predictor';

// Measuring waits for the user's first input and then until the first strokes are done: page
// load is left to painting and the first warm-up, and a switch of backend (a model reload on the
// main thread) comes once the page is in use rather than while it is still loading.
const MEASURE_DELAY_MS = 1500;

let predictor: Predictor | null = null;

/** App-wide predictor: one tfjs model, one backend, shared by every view. */
export function usePredictor(): Predictor {
  if (predictor) return predictor;
  // Listening from the start: a stroke made while the model loads counts too.
  const started = firstInput();
  const personal = usePersonalMemory();
  const p = createPredictor({
    // tfjs arrives with a dynamic import, so the shell paints and the outbox syncs first.
    loadEngine: () => import('./engine'),
    readManifest: () => readManifest(),
    // Revalidates with the ETag: an open page learns of a new model within a minute.
    fetchManifest: manifestPoller(),
    keptVersions: () => keptVersions(),
    keepVersion: (v) => keepVersion(v),
    loadChoice: () => loadChoice(),
    saveChoice: (choice) => saveChoice(choice),
    measure: async (backend, version) =>
      timing(
        backend,
        await measureInWorker(backend, new URL(modelUrl(version), location.href).href),
      ),
    scheduleMeasure: (run) => void started.then(() => setTimeout(run, MEASURE_DELAY_MS)),
    // The background warm-up overlaps the first stroke instead of the page load.
    warmStart: () => started,
    updateCheckMs: MANIFEST_POLL_MS,
    memory: personal.memory,
  });
  // Every confirmed or corrected answer also teaches this device, from the next digit on; an
  // undone one is taken back.
  const feedback = useFeedback();
  feedback.onRecorded((answer, id) =>
    p
      .remember({ pixels: answer.pixels, label: answer.label, answerId: id })
      .then(() => void personal.refresh())
      .catch((err: unknown) => log.warn('could not remember the answer on this device', err)),
  );
  feedback.onUndone((id) =>
    personal.memory
      .forget(id)
      .then(() => void personal.refresh())
      .catch((err: unknown) => log.warn('could not forget the undone answer on this device', err)),
  );
  void personal.memory
    .load()
    .then(personal.refresh)
    .catch((err: unknown) => log.warn('personal memory unavailable', err));
  predictor = p;
  return p;
}
