import { Mutex } from 'async-mutex';
import { modelUrl } from 'sync-server/contract';
import { log } from '../log';
import type { BackendName } from './backend-choice';
import { pickBackend } from './backend-pick';
import type { ModelOutput } from './infer';
import type { EngineModel, PredictEngine } from './predict-engine';
import { warmInBackground, type BackgroundWarmUp } from './warm';

// Once the user starts to draw, predictions in idle moments until the browser has optimized the
// hot code (see warm.ts); the budget keeps a slow backend (WebGL in software) from hogging the page.
const BACKGROUND_WARM_RUNS = 100;
const BACKGROUND_WARM_BUDGET_MS = 400;

export interface ModelSlotOptions<M extends EngineModel> {
  engine: PredictEngine<M>;
  /** Remembers a version that loaded, so it can serve offline next time. */
  keepVersion: (version: string) => Promise<void>;
  /** How the background warm-up waits between runs (tests pass an immediate one). */
  warmPause?: BackgroundWarmUp['pause'];
  /** When the background warm-up may begin (the app: the user's first input); none: at once. */
  warmStart?: () => Promise<void>;
}

/**
 * The one model in use and the one backend it runs on. tfjs has one active backend per page,
 * so predictions, loads and backend switches take turns on one mutex and never interleave.
 */
export class ModelSlot<M extends EngineModel = EngineModel> {
  private readonly lock = new Mutex();
  private model: M | null = null;
  private loaded: string | null = null;

  constructor(private readonly options: ModelSlotOptions<M>) {}

  /** The version in use, or null before the first load. */
  get version(): string | null {
    return this.loaded;
  }

  get backend(): string {
    return this.options.engine.activeBackend();
  }

  /**
   * Starts a backend (`preferred` first) and loads the first of `versions` that works (the
   * live one, then those kept from earlier visits). Resolves with the version loaded.
   */
  start(preferred: BackendName | undefined, versions: string[]): Promise<string> {
    return this.lock.runExclusive(async () => {
      await pickBackend(this.options.engine, preferred);
      let lastError: unknown = null;
      for (const v of new Set(versions)) {
        try {
          await this.activate(v);
          return v;
        } catch (err) {
          lastError = err;
          log.warn(`model ${v} unavailable`, err);
        }
      }
      throw lastError ?? new Error('no model available');
    });
  }

  /** Switches to another version (a newer live model) on the backend in use. */
  load(version: string): Promise<void> {
    return this.lock.runExclusive(() => this.activate(version));
  }

  /** Moves to `backend` and reloads the model in use there. */
  switchBackend(backend: BackendName): Promise<void> {
    return this.lock.runExclusive(async () => {
      const v = this.loaded;
      if (!v) throw new Error('the model is not loaded yet');
      await pickBackend(this.options.engine, backend);
      await this.activate(v);
    });
  }

  /** The model's probabilities for one 28×28 image; waits for a load or switch in progress. */
  predict(pixels: Uint8Array): Promise<Float32Array> {
    return this.lock.runExclusive(async () => {
      if (!this.model) throw new Error('the model is not loaded yet');
      return this.options.engine.predict(this.model, pixels);
    });
  }

  /** `predict` with the penultimate-layer embedding too (null when the model has none). */
  run(pixels: Uint8Array): Promise<ModelOutput & { version: string }> {
    return this.lock.runExclusive(async () => {
      if (!this.model || !this.loaded) throw new Error('the model is not loaded yet');
      const version = this.loaded;
      return { ...(await this.options.engine.predictWithEmbedding(this.model, pixels)), version };
    });
  }

  /**
   * `run` in the caller's task, without an await, when no load, switch or warm-up holds the slot
   * and the backend reads back synchronously; null otherwise (then `run`). Any await lets work
   * queued before it run first: in the app, the render of the "waiting" state that the drawing
   * just queued, which then counted as prediction time. A synchronous run cannot interleave
   * with anything, so it needs no turn on the lock, only a free one.
   */
  runNow(pixels: Uint8Array): (ModelOutput & { version: string }) | null {
    if (this.lock.isLocked() || !this.model || !this.loaded) return null;
    const out = this.options.engine.predictNow(this.model, pixels);
    return out && { ...out, version: this.loaded };
  }

  /**
   * `run` under `version` only: null once another version is in use, so a recompute for an
   * old model stops instead of mixing two models' embeddings.
   */
  runFor(pixels: Uint8Array, version: string): Promise<ModelOutput | null> {
    return this.lock.runExclusive(async () => {
      if (!this.model || this.loaded !== version) return null;
      return this.options.engine.predictWithEmbedding(this.model, pixels);
    });
  }

  /** The probabilities of each of `images` under `version` only (null once not in use). */
  classifyFor(images: Uint8Array[], version: string): Promise<Float32Array[] | null> {
    return this.lock.runExclusive(async () => {
      if (!this.model || this.loaded !== version) return null;
      return this.options.engine.classify(this.model, images);
    });
  }

  // Callers hold the lock. The old model is freed only once the new one runs.
  private async activate(v: string): Promise<void> {
    const { engine } = this.options;
    const next = await engine.loadModel(modelUrl(v));
    await engine.warmUp(next);
    this.model?.dispose();
    this.model = next;
    this.loaded = v;
    void warmInBackground({
      // In the queue with predictions, and only while `next` is still the model in use.
      run: () =>
        this.lock.runExclusive(async () => (this.model === next ? engine.warmUp(next) : undefined)),
      current: () => this.model === next,
      runs: BACKGROUND_WARM_RUNS,
      budgetMs: BACKGROUND_WARM_BUDGET_MS,
      ...(this.options.warmPause ? { pause: this.options.warmPause } : {}),
      ...(this.options.warmStart ? { start: this.options.warmStart() } : {}),
    }).catch((err: unknown) => log.warn('background warm-up stopped', err));
    await this.options.keepVersion(v);
  }
}
