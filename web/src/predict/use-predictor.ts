import { readonly, ref, shallowRef } from 'vue';
import { errorMessage, log } from '../log';
import { fetchManifest, readManifest } from '../model/manifest';
import { keepVersion, keptVersions } from '../model/model-store';
import { modelUrl } from 'sync-server/contract';
import {
  fastest,
  loadChoice,
  MEASURED_BACKENDS,
  saveChoice,
  timing,
  type BackendChoice,
  type BackendName,
  type BackendTiming,
} from './backend-choice';
import { PREDICT_MEASURE, READY_MARK } from './marks';
import { measureInWorker } from './measure';
import { createSerial } from './serial';
import { topK, type Guess } from './top-k';
import { warmInBackground } from './warm';
import type * as EngineModule from './engine';

type Engine = typeof EngineModule;
type Model = Awaited<ReturnType<Engine['loadModel']>>;
export type PredictorState = 'idle' | 'loading' | 'ready' | 'error';
export interface Prediction {
  probabilities: Float32Array;
  top: Guess[];
  ms: number;
}

// Measuring waits until the first paint and first strokes are done.
const MEASURE_DELAY_MS = 1500;
const UPDATE_CHECK_MS = 5 * 60_000;
// After load, predictions in idle moments until the browser has optimized the hot code (see
// warm.ts); the budget keeps a slow backend (WebGL in software) from hogging the page.
const BACKGROUND_WARM_RUNS = 100;
const BACKGROUND_WARM_BUDGET_MS = 400;

const state = ref<PredictorState>('idle');
const error = ref<string | null>(null);
const version = ref<string | null>(null);
const backend = ref<string>('');
const newerVersion = ref<string | null>(null);
const updatedFrom = ref<string | null>(null);
const choice = shallowRef<BackendChoice | null>(null);
const measuring = ref(false);
const serial = createSerial();
let engine: Engine | null = null;
let model: Model | null = null;

/** Loads `v` on the active backend, warms it up and makes it the model in use. */
async function activate(e: Engine, v: string): Promise<void> {
  const next = await e.loadModel(modelUrl(v));
  await e.warmUp(next);
  model?.dispose();
  model = next;
  version.value = v;
  backend.value = e.activeBackend();
  void warmInBackground({
    // In the queue with predictions, and only while `next` is still the model in use.
    run: () => serial(async () => (model === next ? e.warmUp(next) : undefined)),
    current: () => model === next,
    runs: BACKGROUND_WARM_RUNS,
    budgetMs: BACKGROUND_WARM_BUDGET_MS,
  }).catch((err: unknown) => log.warn('background warm-up stopped', err));
  await keepVersion(v);
}

async function pickBackend(e: Engine, preferred: BackendName | undefined): Promise<void> {
  const order = [preferred, ...MEASURED_BACKENDS, 'cpu' as const].filter(
    (b): b is BackendName => !!b,
  );
  for (const b of order) if (await e.useBackend(b)) return;
  throw new Error('no tfjs backend could start on this device');
}

/** Tries the live version first, then the versions kept from earlier visits. */
async function activateFirstAvailable(e: Engine, current: string): Promise<void> {
  const candidates = [...new Set([current, ...keptVersions()])];
  let lastError: unknown = null;
  for (const v of candidates) {
    try {
      await activate(e, v);
      return;
    } catch (err) {
      lastError = err;
      log.warn(`model ${v} unavailable`, err);
    }
  }
  throw lastError ?? new Error('no model available');
}

async function start(): Promise<void> {
  if (state.value !== 'idle') return;
  state.value = 'loading';
  try {
    const before = keptVersions()[0] ?? null;
    const [{ manifest }, e] = await Promise.all([readManifest(), import('./engine')]);
    engine = e;
    choice.value = loadChoice();
    await serial(async () => {
      await pickBackend(e, choice.value?.backend);
      await activateFirstAvailable(e, manifest.current);
    });
    if (version.value !== manifest.current) newerVersion.value = manifest.current;
    if (before && before !== version.value) updatedFrom.value = before;
    state.value = 'ready';
    performance.mark(READY_MARK);
    if (!choice.value) setTimeout(() => void measureBackends(), MEASURE_DELAY_MS);
    watchForUpdates();
  } catch (err) {
    state.value = 'error';
    error.value = `The model could not be loaded: ${errorMessage(err)}`;
    log.error('predictor start failed', err);
  }
}

/** The model's answer for one 28×28 image; waits for any running measurement. */
function predict(pixels: Uint8Array): Promise<Prediction> {
  return serial(async () => {
    if (!engine || !model) throw new Error('the model is not loaded yet');
    const t0 = performance.now();
    const probabilities = await engine.predict(model, pixels);
    const ms = performance.now() - t0;
    performance.measure(PREDICT_MEASURE, { start: t0, duration: ms });
    return { probabilities, top: topK(probabilities, 3), ms };
  });
}

async function measureOne(b: BackendName, v: string): Promise<BackendTiming> {
  return timing(b, await measureInWorker(b, new URL(modelUrl(v), location.href).href));
}

/**
 * Times the live model on each backend (in workers, so predictions go on meanwhile), keeps
 * the fastest for this device, and switches to it.
 */
async function measureBackends(): Promise<void> {
  const e = engine;
  const v = version.value;
  if (!e || !v || measuring.value) return;
  measuring.value = true;
  try {
    const timings: BackendTiming[] = [];
    const failures: BackendChoice['failures'] = {};
    for (const b of MEASURED_BACKENDS) {
      try {
        timings.push(await measureOne(b, v));
      } catch (err) {
        failures[b] = errorMessage(err);
      }
    }
    const current = e.activeBackend() as BackendName;
    // Nothing measured (no workers here): keep what runs rather than fall to CPU.
    const best = timings.length ? fastest(timings) : current;
    const measuredAt = new Date().toISOString();
    choice.value = { backend: best, timings, failures, modelVersion: v, measuredAt };
    saveChoice(choice.value);
    if (best !== current) {
      await serial(async () => {
        await pickBackend(e, best);
        await activate(e, version.value ?? v);
      });
    }
    log.info(`backend chosen: ${best}`, timings);
  } catch (err) {
    log.error('backend measurement failed', err);
  } finally {
    measuring.value = false;
  }
}

/** Notices when the server went live with a model newer than the one in use. */
async function checkForUpdate(): Promise<void> {
  try {
    const manifest = await fetchManifest();
    newerVersion.value = manifest.current !== version.value ? manifest.current : null;
  } catch {
    // Offline or server down: the model in use stays, nothing to tell.
  }
}

let watching = false;
function watchForUpdates(): void {
  if (watching) return;
  watching = true;
  setInterval(() => void checkForUpdate(), UPDATE_CHECK_MS);
  addEventListener('online', () => void checkForUpdate());
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void checkForUpdate();
  });
}

/** Switches to the newer live model without a reload. */
function useNewer(): Promise<void> {
  const e = engine;
  const v = newerVersion.value;
  if (!e || !v) return Promise.resolve();
  return serial(() => activate(e, v))
    .then(() => {
      updatedFrom.value = null;
      newerVersion.value = null;
    })
    .catch((err) => {
      error.value = `The new model could not be loaded: ${errorMessage(err)}`;
    });
}

/** App-wide predictor: one tfjs model, one backend, shared by every view. */
export function usePredictor() {
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
    measureBackends,
    useNewer,
  };
}
