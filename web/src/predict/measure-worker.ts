// Times the live model on one backend in a worker of its own: a slow backend (WebGL on a
// software rasterizer compiles shaders for seconds) never blocks the page or its predictions.
import type { BackendName } from './backend-choice';
import { loadModel, timePredictions, useBackend } from './engine';

export interface MeasureRequest {
  backend: BackendName;
  modelUrl: string;
  runs: number;
  budgetMs: number;
}
export type MeasureReply = { ok: true; samples: number[] } | { ok: false; error: string };

const scope = globalThis as unknown as {
  onmessage: ((event: MessageEvent<MeasureRequest>) => void) | null;
  postMessage(reply: MeasureReply): void;
};

async function measure({ backend, modelUrl, runs, budgetMs }: MeasureRequest): Promise<number[]> {
  if (!(await useBackend(backend))) throw new Error(`${backend} is not available here`);
  const model = await loadModel(modelUrl);
  try {
    return await timePredictions(model, runs, budgetMs);
  } finally {
    model.dispose();
  }
}

scope.onmessage = (event) => {
  measure(event.data).then(
    (samples) => scope.postMessage({ ok: true, samples }),
    (error: unknown) =>
      scope.postMessage({
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
};
