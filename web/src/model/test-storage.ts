import type { Manifest } from 'sync-server/contract';
/** In-memory Web Storage for tests. */
export class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length(): number {
    return this.map.size;
  }
  clear(): void {
    this.map.clear();
  }
  getItem(key: string): string | null {
    return this.map.get(key) ?? null;
  }
  key(index: number): string | null {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string): void {
    this.map.delete(key);
  }
  setItem(key: string, value: string): void {
    this.map.set(key, value);
  }
}

/** A manifest with one version, `current`, for tests. */
export const testManifest = (current: string): Manifest => ({
  schemaVersion: 1,
  current,
  versions: [
    {
      version: current,
      modelUrl: `/models/${current}/model.json`,
      createdAt: '2026-11-26T12:00:00.000Z',
      parent: null,
      trainedOn: { subsets: [], samples: 0 },
      metrics: { mnistTestAccuracy: 0.99 },
      bytes: 1,
    },
  ],
  history: [],
});
