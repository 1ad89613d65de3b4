import {
  fastest,
  MEASURED_BACKENDS,
  type BackendChoice,
  type BackendName,
  type BackendTiming,
} from './backend-choice';
import { errorMessage } from '../log';
import type { PredictEngine } from './predict-engine';

/** Starts the first backend that works: the preferred one, then the measured ones, then CPU. */
export async function pickBackend(
  engine: Pick<PredictEngine, 'useBackend'>,
  preferred: BackendName | undefined,
): Promise<BackendName> {
  const order = new Set<BackendName>([...(preferred ? [preferred] : []), ...MEASURED_BACKENDS]);
  for (const b of [...order, 'cpu' as const]) if (await engine.useBackend(b)) return b;
  throw new Error('no tfjs backend could start on this device');
}

export interface MeasureOptions {
  /** Milliseconds per prediction of the live model on `backend` (run in a worker). */
  measure: (backend: BackendName) => Promise<BackendTiming>;
  /** The backend in use, kept when nothing could be measured. */
  current: BackendName;
  modelVersion: string;
  now?: () => Date;
}

/** Times each backend in turn and names the fastest; a backend that fails is noted, not fatal. */
export async function measureBackendChoice(options: MeasureOptions): Promise<BackendChoice> {
  const timings: BackendTiming[] = [];
  const failures: BackendChoice['failures'] = {};
  for (const b of MEASURED_BACKENDS) {
    try {
      timings.push(await options.measure(b));
    } catch (err) {
      failures[b] = errorMessage(err);
    }
  }
  // Nothing measured (no workers here): keep what runs rather than fall to CPU.
  const backend = timings.length ? fastest(timings) : options.current;
  const measuredAt = (options.now?.() ?? new Date()).toISOString();
  return { backend, timings, failures, modelVersion: options.modelVersion, measuredAt };
}
