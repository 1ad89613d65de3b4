import { normalize, type MemoryIndex } from './blend';
import { PersonalHead, type HeadRow, type HeadState } from './head';
import { MEMORY_CAP, type MemoryEntry } from './memory-db';
import type { PersonalModel } from './personalize';

/** Where the answers live (IndexedDB in the app, see `memory-store.ts`). */
export interface MemoryStore {
  add(entry: MemoryEntry): Promise<unknown>;
  /** Deletes the entry of one answer; false when there is none. */
  remove(answerId: string): Promise<boolean>;
  all(): Promise<MemoryEntry[]>;
  clear(): Promise<void>;
}

/** The global model's output for one digit. */
export interface ModelView {
  probabilities: Float32Array;
  embedding: Float32Array | null;
}

/** A confirmed or corrected answer; `answerId` (its outbox id) lets an undo take it back. */
export type Answered = Pick<MemoryEntry, 'pixels' | 'label' | 'answerId'>;

/** The model's output for one digit, or null once that model is no longer in use. */
export type Embed = (pixels: Uint8Array) => Promise<ModelView | null>;

interface Remembered extends MemoryEntry {
  /** The model's view of this digit and the version it came from; recomputed when that changes. */
  view: { probabilities: Float32Array; embedding: Float32Array } | null;
  version: string | null;
}

/**
 * The user's answers on this device, and what the predictor learns from them under the model
 * in use: the per-device head and the neighbour index. Embeddings are never stored: they belong
 * to one model, so a new model recomputes them from the pixels. A row is used only with the
 * version it was computed for, so an answer remembered while a recompute runs, or a recompute
 * overtaken by another model, never mixes two models.
 */
export class PersonalMemory {
  private entries: Remembered[] = [];
  private learned: { version: string; model: PersonalModel } | null = null;
  private loading: Promise<void> | null = null;
  /** Bumped by `clear`, so a read that started before it cannot bring answers back. */
  private generation = 0;
  /** The version whose views `reembed` is computing; its model waits until they are all in. */
  private embedding: string | null = null;
  /** The head as it was before the newest answer's step, so undoing that answer is exact. */
  private beforeNewest: { answerId: string; head: PersonalHead; state: HeadState } | null = null;

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
      this.entries = [...old.map((e) => ({ ...e, view: null, version: null })), ...fresh];
      this.learned = null;
    });
    return this.loading;
  }

  /** Stores an answer; `view` (the model's output under `version`) makes it count at once. */
  async remember(answer: Answered, view: ModelView | null, version: string | null): Promise<void> {
    const { pixels, label, answerId } = answer;
    const entry: MemoryEntry = {
      pixels: pixels.slice(),
      label,
      createdAt: Date.now(),
      ...(answerId ? { answerId } : {}),
    };
    await this.store.add(entry);
    const known = view?.embedding
      ? { probabilities: view.probabilities, embedding: view.embedding }
      : null;
    this.entries.push({ ...entry, view: known, version: known ? version : null });
    if (this.entries.length > this.cap) this.entries.splice(0, this.entries.length - this.cap);
    const learned = this.learned;
    const head = learned?.model.head;
    this.beforeNewest = head && answerId ? { answerId, head, state: head.save() } : null;
    if (learned && known && learned.version === version) {
      // The head learns this answer with one more step, as the bench measures it.
      head?.step(this.rows(learned.version));
      learned.model.index = null;
    } else {
      this.learned = null;
    }
  }

  /**
   * Takes back an answer the user undid, here and in the store; false when it is in neither.
   * The newest answer's head step is undone exactly; an older one's makes the head relearn.
   */
  async forget(answerId: string): Promise<boolean> {
    const at = this.entries.findIndex((e) => e.answerId === answerId);
    const found = at >= 0;
    if (found) this.entries.splice(at, 1);
    const learned = this.learned;
    const before = this.beforeNewest;
    this.beforeNewest = null;
    if (found && learned) {
      if (before?.answerId === answerId && before.head === learned.model.head) {
        before.head.restore(before.state);
        learned.model.index = null;
      } else {
        this.learned = null;
        this.model(learned.version); // relearns now, not during the next prediction
      }
    }
    const stored = await this.store.remove(answerId);
    return found || stored;
  }

  /** Recomputes the model's view of each answer for `version`; stops when `embed` gives null. */
  async reembed(version: string, embed: Embed): Promise<void> {
    await this.load();
    this.embedding = version;
    try {
      for (const entry of [...this.entries]) {
        if (entry.version === version && entry.view) continue;
        const view = await embed(entry.pixels);
        if (!view) return;
        const { probabilities, embedding } = view;
        entry.view = embedding ? { probabilities, embedding } : null;
        entry.version = embedding ? version : null;
        if (this.learned?.version === version) this.learned = null;
      }
    } finally {
      if (this.embedding === version) this.embedding = null;
    }
    this.model(version); // learns the head now, not on the next prediction
  }

  /** What predictions under `version` use: null while no answer is embedded for it. */
  model(version: string | null): PersonalModel | null {
    if (!version || this.embedding === version) return null;
    // The common case, on every prediction: nothing changed since the last one.
    if (this.learned?.version === version && this.learned.model.index) return this.learned.model;
    const rows = this.rows(version);
    if (!rows.length) return null;
    if (this.learned?.version !== version) {
      // A new model: the head relearns every answer, in the order they were given.
      const head = PersonalHead.replay(rows, rows[0]!.embedding.length);
      this.learned = { version, model: { head, index: null } };
    }
    const model = this.learned.model;
    model.index ??= indexOf(rows);
    return model;
  }

  /** Forgets every answer, here and in the store. */
  async clear(): Promise<void> {
    this.generation++;
    this.loading = Promise.resolve();
    this.entries = [];
    this.learned = null;
    this.beforeNewest = null;
    await this.store.clear();
  }

  private rows(version: string): HeadRow[] {
    return this.entries.flatMap((e) =>
      e.version === version && e.view ? [{ ...e.view, label: e.label }] : [],
    );
  }
}

function indexOf(rows: HeadRow[]): MemoryIndex {
  const dim = rows[0]!.embedding.length;
  const vectors = new Float32Array(rows.length * dim);
  rows.forEach((r, i) => vectors.set(normalize(r.embedding), i * dim));
  return { dim, count: rows.length, vectors, labels: Uint8Array.from(rows, (r) => r.label) };
}
