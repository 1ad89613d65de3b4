import { normalize, type MemoryIndex } from './blend';
import { MEMORY_CAP, type MemoryEntry } from './memory-db';

/** Where the answers live (IndexedDB in the app, see `memory-store.ts`). */
export interface MemoryStore {
  add(entry: MemoryEntry): Promise<unknown>;
  all(): Promise<MemoryEntry[]>;
  clear(): Promise<void>;
}

/** The model's penultimate layer for one digit, or null when that model is no longer in use. */
export type Embed = (pixels: Uint8Array) => Promise<Float32Array | null>;

interface Remembered extends MemoryEntry {
  /** Normalized embedding and the model version it came from; recomputed when that changes. */
  embedding: Float32Array | null;
  version: string | null;
}

/**
 * The user's answers on this device and their embeddings under the model in use. Embeddings
 * are never stored: they belong to one model, so a new model recomputes them from the pixels.
 * A row is used only with the version it was computed for, so an answer remembered while a
 * recompute runs, or a recompute overtaken by another model, never mixes two models.
 */
export class PersonalMemory {
  private entries: Remembered[] = [];
  private cached: { version: string; index: MemoryIndex } | null = null;
  private loading: Promise<void> | null = null;
  /** Bumped by `clear`, so a read that started before it cannot bring answers back. */
  private generation = 0;

  constructor(
    private readonly store: MemoryStore,
    private readonly cap = MEMORY_CAP,
  ) {}

  get size(): number {
    return this.entries.length;
  }

  /** Reads the stored answers once (later calls wait for the same read). */
  load(): Promise<void> {
    const generation = this.generation;
    this.loading ??= this.store.all().then((stored) => {
      if (generation !== this.generation) return;
      // Answers remembered before the read finished are newer than every stored one.
      const fresh = this.entries;
      const old = stored.slice(0, Math.max(0, stored.length - fresh.length));
      this.entries = [...old.map((e) => ({ ...e, embedding: null, version: null })), ...fresh];
      this.cached = null;
    });
    return this.loading;
  }

  /** Stores an answer; `embedding` (raw, from `version`) makes it count at once. */
  async remember(
    pixels: Uint8Array,
    label: number,
    embedding: Float32Array | null,
    version: string | null,
  ): Promise<void> {
    const entry: MemoryEntry = { pixels: pixels.slice(), label, createdAt: Date.now() };
    await this.store.add(entry);
    this.entries.push({ ...entry, embedding: embedding && normalize(embedding), version });
    if (this.entries.length > this.cap) this.entries.splice(0, this.entries.length - this.cap);
    this.cached = null;
  }

  /** Computes the embeddings missing for `version`; stops when `embed` says it moved on. */
  async reembed(version: string, embed: Embed): Promise<void> {
    await this.load();
    for (const entry of [...this.entries]) {
      if (entry.version === version && entry.embedding) continue;
      const raw = await embed(entry.pixels);
      if (!raw) return;
      entry.embedding = normalize(raw);
      entry.version = version;
      this.cached = null;
    }
  }

  /** The answers embedded under `version`, ready for `blend`; null when there are none. */
  index(version: string | null): MemoryIndex | null {
    if (!version) return null;
    if (this.cached?.version === version) return this.cached.index;
    const rows = this.entries.filter((e) => e.version === version && e.embedding);
    if (!rows.length) return null;
    const dim = rows[0]!.embedding!.length;
    const vectors = new Float32Array(rows.length * dim);
    rows.forEach((e, i) => vectors.set(e.embedding!, i * dim));
    const labels = Uint8Array.from(rows, (e) => e.label);
    this.cached = { version, index: { dim, count: rows.length, vectors, labels } };
    return this.cached.index;
  }

  /** Forgets every answer, here and in the store. */
  async clear(): Promise<void> {
    this.generation++;
    this.loading = Promise.resolve();
    this.entries = [];
    this.cached = null;
    await this.store.clear();
  }
}
