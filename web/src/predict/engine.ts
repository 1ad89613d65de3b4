// The heavy part of the app (tfjs and its backends), loaded with a dynamic import so the shell
// paints and the outbox syncs before ~1 MB of JavaScript arrives.
import { enableProdMode, env, getBackend, io, ready, setBackend } from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import { cachedFetch } from '../model/model-store';
import type { BackendName } from './backend-choice';
import { foldForInference, type InferenceModel } from './fold';
import {
  classifyBatch,
  predictProbabilities,
  predictWithEmbedding as withEmbedding,
  predictWithEmbeddingSync,
  type ModelOutput,
} from './infer';

export type { InferenceModel };

// One run creates the kernels' operators and compiles shaders; later runs are steady state.
const WARM_UP_RUNS = 1;
const MIN_RUNS = 5;
// Backends whose tensors live in CPU memory: reading an output back is a copy, not a GPU wait.
const SYNC_READ_BACKENDS = new Set(['wasm', 'cpu']);

enableProdMode();
// Threads need cross-origin isolation, which this app deliberately does not enable (the
// threaded build hangs when minified). Saying so up front keeps tfjs on the SIMD binary.
env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
// The binaries are emitted and precached by our own build, so they work offline.
setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlainUrl,
  'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmSimdUrl,
});

/** Switches tfjs to `backend`; false when this device cannot run it. */
export async function useBackend(backend: BackendName): Promise<boolean> {
  try {
    const ok = await setBackend(backend);
    await ready();
    return ok && getBackend() === backend;
  } catch {
    return false;
  }
}

export function activeBackend(): string {
  return getBackend();
}

/**
 * Loads a layers model (its files come from the model cache when present) and folds it into
 * plain ops for fast single predictions.
 */
export async function loadModel(url: string): Promise<InferenceModel> {
  const absolute = new URL(url, location.href).href;
  const model = await loadLayersModel(io.http(absolute, { fetchFunc: cachedFetch }));
  return foldForInference(model);
}

/**
 * Runs the model a few times so shaders compile and buffers exist before the user waits; on
 * the path the user's predictions take, so that is the code the browser optimizes.
 */
export async function warmUp(model: InferenceModel): Promise<void> {
  const blank = sampleDigit();
  for (let i = 0; i < WARM_UP_RUNS; i++) {
    if (!predictNow(model, blank)) await withEmbedding(model, blank);
  }
}

export function predict(model: InferenceModel, pixels: Uint8Array): Promise<Float32Array> {
  return predictProbabilities(model, pixels);
}

export function predictWithEmbedding(
  model: InferenceModel,
  pixels: Uint8Array,
): Promise<ModelOutput> {
  return withEmbedding(model, pixels);
}

/** Probabilities of many images in one batch (the personal memory's hand fit). */
export function classify(model: InferenceModel, images: Uint8Array[]): Promise<Float32Array[]> {
  return classifyBatch(model, images);
}

/** `predictWithEmbedding` without an await on wasm and cpu; null on WebGL (use the async one). */
export function predictNow(model: InferenceModel, pixels: Uint8Array): ModelOutput | null {
  return SYNC_READ_BACKENDS.has(getBackend()) ? predictWithEmbeddingSync(model, pixels) : null;
}

/**
 * Milliseconds per single prediction of `model` on the active backend, after a warm-up: up to
 * `runs` samples, stopping early once `budgetMs` is spent (but never below MIN_RUNS), so a slow
 * backend is measured quickly instead of thoroughly.
 */
export async function timePredictions(
  model: InferenceModel,
  runs: number,
  budgetMs = Number.POSITIVE_INFINITY,
): Promise<number[]> {
  await warmUp(model);
  const input = sampleDigit();
  const samples: number[] = [];
  const start = performance.now();
  while (samples.length < runs) {
    if (samples.length >= MIN_RUNS && performance.now() - start > budgetMs) break;
    const t0 = performance.now();
    await predictProbabilities(model, input);
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** A plausible input (a vertical bar, like a "1"), so timings match real use. */
function sampleDigit(): Uint8Array {
  const pixels = new Uint8Array(784);
  for (let y = 4; y < 24; y++) for (let x = 12; x < 16; x++) pixels[y * 28 + x] = 255;
  return pixels;
}
