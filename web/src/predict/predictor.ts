import { readonly, ref, shallowRef } from 'vue';
import type { Manifest } from 'sync-server/contract';
import { errorMessage, log } from '../log';
import { argmax } from '../memory/blend';
import { applyHand, isPlain, PLAIN_HAND, type Hand } from '../memory/hand';
import type { Answered, PersonalMemory } from '../memory/personal-memory';
import { personalize } from '../memory/personalize';
import type { ManifestRead } from '../model/manifest';
import type { BackendChoice, BackendName, BackendTiming } from './backend-choice';
import { measureBackendChoice } from './backend-pick';
import { PERSONAL_READY_MARK, PREDICT_MEASURE, READY_MARK } from './marks';
import { ModelSlot } from './model-slot';
import type { PredictEngine } from './predict-engine';
import { topK, type Guess } from './top-k';
import { watchForUpdates } from './update-watch';
import type { BackgroundWarmUp } from './warm';

export type PredictorState = 'idle' | 'loading' | 'ready' | 'error';
export interface Prediction {
  probabilities: Float32Array;
  top: Guess[];
  ms: number;
  /** True when the user's own earlier answers changed the model's answer (see ../memory/personalize.ts). */
  personal: boolean;
  /** The hand the digit was seen through (../memory/hand.ts), or null for none. */
  hand: Hand | null;
  /**
   * With a hand, `personal` is decided by a second run of the model just after the answer: this
   * resolves to it (then `personal` above is false until the caller applies it). Null otherwise.
   */
  personalCheck: Promise<boolean> | null;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Everything the predictor reaches outside itself; `use-predictor.ts` passes the real ones. */
export interface PredictorDeps {
  /** The tfjs engine, loaded on `start()` (a dynamic import in the app). */
  loadEngine: () => Promise<PredictEngine>;
  /** Network first, the copy kept from an earlier visit second. */
  readManifest: () => Promise<ManifestRead>;
  /** Network only, for update checks. */
  fetchManifest: () => Promise<Manifest>;
  /** Versions kept on this device, newest first; and remembering one. */
  keptVersions: () => string[];
  keepVersion: (version: string) => Promise<void>;
  /** The backend this device measured on an earlier visit, and saving a new measurement. */
  loadChoice: () => BackendChoice | null;
  saveChoice: (choice: BackendChoice) => void;
  /** Times `version` on `backend` (in a worker, so predictions go on meanwhile). */
  measure: (backend: BackendName, version: string) => Promise<BackendTiming>;
  /** Called once ready when no backend was measured yet; the app waits for the user's first input. */
  scheduleMeasure: (run: () => void) => void;
  updateCheckMs: number;
  /** Update triggers; the app's window and document by default. */
  watch?: Pick<Parameters<typeof watchForUpdates>[0], 'window' | 'document'>;
  warmPause?: BackgroundWarmUp['pause'];
  /** When the background warm-up may begin (see ModelSlotOptions); none: once ready. */
  warmStart?: () => Promise<void>;
  /** The user's answers on this device; predictions blend them in (none: the model alone). */
  memory?: PersonalMemory;
}

/** One tfjs model, one backend, and what the views show about them. */
export function createPredictor(deps: PredictorDeps) {
  const state = ref<PredictorState>('idle');
  const error = ref<string | null>(null);
  const version = ref<string | null>(null);
  const backend = ref<string>('');
  const newerVersion = ref<string | null>(null);
  const updatedFrom = ref<string | null>(null);
  const choice = shallowRef<BackendChoice | null>(null);
  const measuring = ref(false);
  let slot: ModelSlot | null = null;
  let stopWatching: (() => void) | null = null;

  const show = (s: ModelSlot) => {
    version.value = s.version;
    backend.value = s.backend;
  };

  /** Embeds the remembered answers under the model now in use (a new one starts again). */
  const embedMemory = (s: ModelSlot) => {
    const v = s.version;
    if (!deps.memory || !v) return;
    deps.memory
      .reembed(
        v,
        (pixels) => s.runFor(pixels, v),
        (images) => s.classifyFor(images, v),
      )
      .then(() => performance.mark(PERSONAL_READY_MARK, { detail: deps.memory?.hand(v) }))
      .catch((err: unknown) => log.warn('personal memory unavailable', err));
  };

  async function start(): Promise<void> {
    if (state.value !== 'idle') return;
    state.value = 'loading';
    try {
      const before = deps.keptVersions()[0] ?? null;
      const [{ manifest }, engine] = await Promise.all([deps.readManifest(), deps.loadEngine()]);
      const s = new ModelSlot({
        engine,
        keepVersion: deps.keepVersion,
        warmPause: deps.warmPause,
        warmStart: deps.warmStart,
      });
      choice.value = deps.loadChoice();
      await s.start(choice.value?.backend, [manifest.current, ...deps.keptVersions()]);
      slot = s;
      show(s);
      embedMemory(s);
      if (version.value !== manifest.current) newerVersion.value = manifest.current;
      if (before && before !== version.value) updatedFrom.value = before;
      state.value = 'ready';
      performance.mark(READY_MARK);
      if (!choice.value) deps.scheduleMeasure(() => void measureBackends());
      stopWatching = watchForUpdates({
        fetchManifest: deps.fetchManifest,
        inUse: () => version.value,
        onNewer: (v) => (newerVersion.value = v),
        intervalMs: deps.updateCheckMs,
        ...deps.watch,
      });
    } catch (err) {
      state.value = 'error';
      error.value = `The model could not be loaded: ${errorMessage(err)}`;
      log.error('predictor start failed', err);
    }
  }

  /**
   * The model's answer for one 28×28 image; waits for a load or backend switch. With a personal
   * memory, the model sees the digit through the user's hand and the memory corrects its answer;
   * `personal` then says whether the answer differs from the model's on the digit as drawn.
   */
  async function predict(pixels: Uint8Array): Promise<Prediction> {
    const s = slot;
    if (!s) throw new Error('the model is not loaded yet');
    const t0 = performance.now();
    const hand = deps.memory?.hand(s.version) ?? PLAIN_HAND;
    const used = isPlain(hand) ? null : hand;
    const seen = used ? applyHand(pixels, used) : pixels;
    // Synchronous when it can be (see ModelSlot.runNow): `??` awaits only the fallback.
    const out = s.runNow(seen) ?? (await s.run(seen));
    const memory = deps.memory?.model(out.version, hand) ?? null;
    const { probabilities, personal } = personalize(out.probabilities, out.embedding, memory);
    const ms = performance.now() - t0;
    performance.measure(PREDICT_MEASURE, { start: t0, duration: ms });
    const top = topK(probabilities, 3);
    if (!used) return { probabilities, top, ms, personal, hand: null, personalCheck: null };
    // Whether the memory changed the answer then needs the model's own view of the digit as
    // drawn: a second run, in the next task, so the answer is out first and the badge follows.
    const personalCheck = nextTask().then(async () => {
      const own = s.runNow(pixels) ?? (await s.run(pixels));
      return argmax(probabilities) !== argmax(own.probabilities);
    });
    return { probabilities, top, ms, personal: false, hand: used, personalCheck };
  }

  /** Adds a confirmed or corrected answer to the personal memory; it counts from the next digit. */
  async function remember(answer: Answered): Promise<void> {
    if (!deps.memory) return;
    const v = slot?.version ?? null;
    const hand = deps.memory.hand(v);
    const view = slot && v ? await slot.runFor(applyHand(answer.pixels, hand), v) : null;
    await deps.memory.remember(answer, view, view ? v : null, hand);
  }

  /** Times the live model on each backend, keeps the fastest for this device, switches to it. */
  async function measureBackends(): Promise<void> {
    const s = slot;
    const v = version.value;
    if (!s || !v || measuring.value) return;
    measuring.value = true;
    try {
      const current = s.backend as BackendName;
      const measure = (b: BackendName) => deps.measure(b, v);
      choice.value = await measureBackendChoice({ measure, current, modelVersion: v });
      deps.saveChoice(choice.value);
      if (choice.value.backend !== current) await s.switchBackend(choice.value.backend);
      show(s);
      log.info(`backend chosen: ${choice.value.backend}`, choice.value.timings);
    } catch (err) {
      log.error('backend measurement failed', err);
    } finally {
      measuring.value = false;
    }
  }

  /** Switches to the newer live model without a reload. */
  async function useNewer(): Promise<void> {
    const s = slot;
    const v = newerVersion.value;
    if (!s || !v) return;
    try {
      await s.load(v);
      show(s);
      embedMemory(s);
      updatedFrom.value = null;
      newerVersion.value = null;
    } catch (err) {
      error.value = `The new model could not be loaded: ${errorMessage(err)}`;
    }
  }

  return {
    state: readonly(state),
    error: readonly(error),
    version: readonly(version),
    backend: readonly(backend),
    newerVersion: readonly(newerVersion),
    updatedFrom: readonly(updatedFrom),
    choice,
    measuring: readonly(measuring),
    start,
    predict,
    remember,
    measureBackends,
    useNewer,
    /** Stops the update checks (tests; the app's predictor lives as long as the page). */
    stop: () => stopWatching?.(),
  };
}

export type Predictor = ReturnType<typeof createPredictor>;
