/** Backends worth measuring, in the order tried when nothing is known yet. */
export const MEASURED_BACKENDS = ['wasm', 'webgl'] as const;
export type BackendName = (typeof MEASURED_BACKENDS)[number] | 'cpu';

export interface BackendTiming {
  backend: BackendName;
  p50: number;
  p95: number;
  runs: number;
}

/** What this device measured with the live model, kept across visits. */
export interface BackendChoice {
  backend: BackendName;
  timings: BackendTiming[];
  /** Failures while measuring, by backend (e.g. no WebGL). */
  failures: Partial<Record<BackendName, string>>;
  modelVersion: string;
  measuredAt: string;
}

const STORE_KEY = 'digit-loop:backend-choice';

/** Quantile of sorted-on-the-fly samples, nearest rank. */
export function quantile(samples: number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

export function timing(backend: BackendName, samples: number[]): BackendTiming {
  return {
    backend,
    p50: quantile(samples, 0.5),
    p95: quantile(samples, 0.95),
    runs: samples.length,
  };
}

/** The backend with the lowest median; CPU only when nothing else worked. */
export function fastest(timings: BackendTiming[]): BackendName {
  const usable = timings.filter((t) => t.backend !== 'cpu' && Number.isFinite(t.p50));
  usable.sort((a, b) => a.p50 - b.p50 || a.p95 - b.p95);
  return usable[0]?.backend ?? 'cpu';
}

export function loadChoice(storage: Storage = localStorage): BackendChoice | null {
  try {
    const value = JSON.parse(storage.getItem(STORE_KEY) ?? 'null') as BackendChoice | null;
    return value && typeof value.backend === 'string' && Array.isArray(value.timings)
      ? value
      : null;
  } catch {
    return null;
  }
}

export function saveChoice(choice: BackendChoice, storage: Storage = localStorage): void {
  storage.setItem(STORE_KEY, JSON.stringify(choice));
}
