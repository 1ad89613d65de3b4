import type { BackendName } from './backend-choice';
import type { PredictEngine } from './predict-engine';

export interface FakeModel {
  url: string;
  disposed: boolean;
  dispose(): void;
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
      const digit = Number(model.url.match(/(\d)Z\//)?.[1] ?? 0);
      return Float32Array.from({ length: 10 }, (_, i) => (i === digit ? 0.9 : 0.1 / 9));
    },
  };
  return { engine, calls, models, active: () => active };
}
