import type { BackendName } from './backend-choice';
import type { ModelOutput } from './infer';

/** A loaded model the engine can run; freed when replaced. */
export interface EngineModel {
  dispose(): void;
}

/**
 * What the predictor needs from tfjs. `engine.ts` is the real one (loaded lazily, ~1 MB);
 * tests pass a fake, so loading, switching and updates are tested without a browser.
 */
export interface PredictEngine<M extends EngineModel = EngineModel> {
  /** Switches to `backend`; false when this device cannot run it. */
  useBackend(backend: BackendName): Promise<boolean>;
  activeBackend(): string;
  loadModel(url: string): Promise<M>;
  /** One run so the first real prediction does not pay for compiling. */
  warmUp(model: M): Promise<void>;
  predict(model: M, pixels: Uint8Array): Promise<Float32Array>;
  /** The probabilities and the penultimate-layer embedding (for the personal memory). */
  predictWithEmbedding(model: M, pixels: Uint8Array): Promise<ModelOutput>;
  /** The probabilities of each of `images`, in one batch. */
  classify(model: M, images: Uint8Array[]): Promise<Float32Array[]>;
  /**
   * `predictWithEmbedding` start to end in the caller's task, when the backend reads back
   * without waiting (wasm, cpu); null when it cannot (WebGL).
   */
  predictNow(model: M, pixels: Uint8Array): ModelOutput | null;
}
