import type { BackendName } from './backend-choice';
import type { PredictEngine } from './predict-engine';

export interface FakeModel {
  url: string;
  disposed: boolean;
  dispose(): void;
}

const digitOf = (model: FakeModel) => Number(model.url.match(/(\d)Z\//)?.[1] ?? 0);

/**
 * A stand-in for a penultimate layer: the ink of each row, rotated by the model's digit, so
 * the same drawing embeds the same way under one model and differently under another.
 */
export function fakeEmbedding(model: FakeModel, pixels: Uint8Array): Float32Array {
  const rows = Float32Array.from({ length: 28 }, (_, y) =>
    pixels.subarray(y * 28, y * 28 + 28).reduce((a, b) => a + b, 0),
  );
  const shift = digitOf(model);
  return Float32Array.from(rows, (_, i) => rows[(i + shift) % 28]!);
}

/**
 * An in-memory engine for tests: `backends` can start, `broken` model URLs fail to load, and
 * a prediction answers with the loaded model's digit (its URL's last version character).
 */
export function fakeEngine(options: { backends?: BackendName[]; broken?: string[] } = {}) {
  const backends = options.backends ?? ['wasm', 'webgl', 'cpu'];
  const calls: string[] = [];
  const models: FakeModel[] = [];
  let active = '';
  const engine: PredictEngine<FakeModel> = {
    async useBackend(b) {
      calls.push(`use ${b}`);
      if (!backends.includes(b)) return false;
      active = b;
      return true;
    },
    activeBackend: () => active,
    async loadModel(url) {
      calls.push(`load ${url}`);
      if (options.broken?.some((v) => url.includes(v))) throw new Error(`404 ${url}`);
      const model: FakeModel = { url, disposed: false, dispose: () => (model.disposed = true) };
      models.push(model);
      return model;
    },
    async warmUp(model) {
      if (model.disposed) throw new Error('warm-up of a disposed model');
    },
    async predict(model) {
      if (model.disposed) throw new Error('prediction on a disposed model');
      const digit = digitOf(model);
      return Float32Array.from({ length: 10 }, (_, i) => (i === digit ? 0.9 : 0.1 / 9));
    },
    async predictWithEmbedding(model, pixels) {
      calls.push(`embed ${model.url}`);
      return {
        probabilities: await engine.predict(model, pixels),
        embedding: fakeEmbedding(model, pixels),
      };
    },
    async classify(model, images) {
      calls.push(`classify ${model.url} ×${images.length}`);
      return Promise.all(images.map((pixels) => engine.predict(model, pixels)));
    },
    // Like the real engine: synchronous except on WebGL.
    predictNow(model, pixels) {
      if (active === 'webgl') return null;
      if (model.disposed) throw new Error('prediction on a disposed model');
      calls.push(`now ${model.url}`);
      const digit = digitOf(model);
      return {
        probabilities: Float32Array.from({ length: 10 }, (_, i) => (i === digit ? 0.9 : 0.1 / 9)),
        embedding: fakeEmbedding(model, pixels),
      };
    },
  };
  return { engine, calls, models, active: () => active };
}
