import { describe, expect, it } from 'vitest';
import { fastest, loadChoice, quantile, saveChoice, timing } from './backend-choice';

class MemoryStorage {
  private map = new Map<string, string>();
  getItem = (k: string) => this.map.get(k) ?? null;
  setItem = (k: string, v: string) => void this.map.set(k, v);
}

describe('backend choice', () => {
  it('computes nearest-rank quantiles', () => {
    const s = [5, 1, 4, 2, 3, 10, 6, 7, 8, 9];
    expect(quantile(s, 0.5)).toBe(5);
    expect(quantile(s, 0.95)).toBe(10);
  });

  it('keeps the backend with the lowest median', () => {
    expect(fastest([timing('webgl', [3, 4, 5]), timing('wasm', [1, 2, 9])])).toBe('wasm');
  });

  it('falls back to cpu only when no accelerated backend was measured', () => {
    expect(fastest([])).toBe('cpu');
    expect(fastest([timing('cpu', [0.1])])).toBe('cpu');
    expect(fastest([timing('cpu', [0.1]), timing('webgl', [9])])).toBe('webgl');
  });

  it('remembers the choice across visits', () => {
    const storage = new MemoryStorage() as unknown as Storage;
    expect(loadChoice(storage)).toBeNull();
    const choice = {
      backend: 'webgl' as const,
      timings: [timing('webgl', [1])],
      failures: { wasm: 'no simd' },
      modelVersion: 'v',
      measuredAt: '2026-11-26T12:00:00.000Z',
    };
    saveChoice(choice, storage);
    expect(loadChoice(storage)).toEqual(choice);
  });
});
