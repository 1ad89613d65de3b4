import { log } from '../log';
import { memoryIndex } from './blend';
import {
  applyHand,
  fitHand,
  HAND_DEFAULTS,
  handKey,
  PLAIN_HAND,
  refitDue,
  sameHand,
  type Classify,
  type Hand,
  type HandOptions,
} from './hand';
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
  /** The model's view of this digit and the key it came from; recomputed when that changes. */
  view: { probabilities: Float32Array; embedding: Float32Array } | null;
  /** `viewKey` of the model and the hand the view was computed under. */
  version: string | null;
}

/** The model in use and the hand fitted for it (see hand.ts). */
interface Current {
  version: string;
  embed: Embed;
  classify: Classify | null;
  hand: Hand;
  /** Answers remembered since the hand was last fitted; null: not fitted under this model. */
  since: number | null;
}

/** What a view was computed under: a model version and a hand. */
function viewKey(version: string, hand: Hand): string {
  return `${version} ${handKey(hand)}`;
}

/**
 * The user's answers on this device, and what the predictor learns from them under the model
 * in use: the writer's hand (hand.ts), the per-device head and the neighbour index. Embeddings
 * are never stored: they belong to one model and one hand, so a new model or hand recomputes
 * them from the pixels. A row is used only with the model version and hand it was computed for,
 * so an answer remembered while a recompute runs, or a recompute overtaken by another model,
 * never mixes two models or two hands.
 */
export class PersonalMemory {
  private entries: Remembered[] = [];
  private learned: { key: string; model: PersonalModel } | null = null;
  private loading: Promise<void> | null = null;
  /** Bumped by `clear`, so a read that started before it cannot bring answers back. */
  private generation = 0;
  /** The version whose views `reembed` is computing; its model waits until they are all in. */
  private embedding: string | null = null;
  /** The head as it was before the newest answer's step, so undoing that answer is exact. */
  private beforeNewest: { answerId: string; head: PersonalHead; state: HeadState } | null = null;
  private current: Current | null = null;
  /** The hand fit in progress, if any (one at a time). */
  private fitting: Promise<void> | null = null;

  constructor(
    private readonly store: MemoryStore,
    private readonly cap = MEMORY_CAP,
    private readonly handOptions: HandOptions = HAND_DEFAULTS,
  ) {}

  /**
   * The hand predictions under `version` see digits through (`applyHand`): fitted to the answers
   * when `reembed` was given a way to classify; the plain hand otherwise.
   */
  hand(version: string | null): Hand {
    const c = this.current;
    return c && c.version === version ? c.hand : PLAIN_HAND;
  }

  /** Resolves once no hand fit is running (tests; the app never waits for one). */
  async settled(): Promise<void> {
    while (this.fitting) await this.fitting;
  }

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

  /**
   * Stores an answer; `view` (the model's output under `version`, through `hand`) makes it count
   * at once. A view through another hand than the current one is recomputed in the background.
   */
  async remember(
    answer: Answered,
    view: ModelView | null,
    version: string | null,
    hand: Hand = PLAIN_HAND,
  ): Promise<void> {
    const { pixels, label, answerId } = answer;
    const entry: MemoryEntry = {
      pixels: pixels.slice(),
      label,
      createdAt: Date.now(),
      ...(answerId ? { answerId } : {}),
    };
    await this.store.add(entry);
    // A view counts only under the model and hand in use; otherwise a refit recomputes it.
    const inUse = version !== null && sameHand(hand, this.hand(version)) ? version : null;
    const known =
      inUse && view?.embedding
        ? { probabilities: view.probabilities, embedding: view.embedding }
        : null;
    const key = known && inUse ? viewKey(inUse, hand) : null;
    this.entries.push({ ...entry, view: known, version: key });
    if (this.entries.length > this.cap) this.entries.splice(0, this.entries.length - this.cap);
    const learned = this.learned;
    const head = learned?.model.head;
    this.beforeNewest = head && answerId ? { answerId, head, state: head.save() } : null;
    if (learned && key && learned.key === key) {
      // The head learns this answer with one more step, as the bench measures it.
      head?.step(this.rows(learned.key));
      learned.model.index = null;
    } else {
      this.learned = null;
    }
    const c = this.current;
    // Not while `reembed` runs: it fits the hand itself.
    if (c && c.version === version && this.embedding !== version) {
      if (c.since !== null) c.since++;
      if (!key || refitDue(this.entries.length, c.since, this.handOptions)) this.refit(c);
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
        this.model(this.current?.version ?? null); // relearns now, not during the next prediction
      }
    }
    const stored = await this.store.remove(answerId);
    return found || stored;
  }

  /**
   * Makes `version` the model in use: fits the hand to the answers (when `classify` is given and
   * there are enough), then recomputes the model's view of each answer through it. Stops when
   * `embed` or `classify` gives null (another model took over).
   */
  async reembed(version: string, embed: Embed, classify: Classify | null = null): Promise<void> {
    await this.load();
    this.embedding = version;
    const current: Current = { version, embed, classify, hand: PLAIN_HAND, since: null };
    this.current = current;
    try {
      if (classify && refitDue(this.entries.length, null, this.handOptions)) {
        const fit = await fitHand(this.entries, classify, this.handOptions);
        if (!fit) return;
        current.hand = fit.hand;
        current.since = 0;
      }
      const key = viewKey(version, current.hand);
      for (const entry of [...this.entries]) {
        if (entry.version === key && entry.view) continue;
        const view = await embed(applyHand(entry.pixels, current.hand));
        if (!view || this.current !== current) return;
        const { probabilities, embedding } = view;
        entry.view = embedding ? { probabilities, embedding } : null;
        entry.version = embedding ? key : null;
        if (this.learned?.key === key) this.learned = null;
      }
    } finally {
      if (this.embedding === version) this.embedding = null;
    }
    this.model(version); // learns the head now, not on the next prediction
  }

  /**
   * Fits the hand again in the background; when it changed, recomputes every answer's view
   * through the new one and only then switches, so predictions never mix two hands.
   */
  private refit(current: Current): void {
    if (this.fitting || !current.classify) return;
    const classify = current.classify;
    const generation = this.generation;
    const stale = () => this.current !== current || this.generation !== generation;
    const run = async () => {
      const fit =
        this.entries.length >= this.handOptions.minAnswers
          ? await fitHand(this.entries, classify, this.handOptions)
          : null;
      if (stale()) return;
      current.since = 0;
      const hand = fit?.hand ?? current.hand;
      const key = viewKey(current.version, hand);
      // Views through the new hand for every answer, those remembered meanwhile too.
      const fresh = new Map<Remembered, NonNullable<Remembered['view']>>();
      for (;;) {
        const missing = this.entries.filter((e) => e.version !== key && !fresh.has(e));
        if (!missing.length) break;
        for (const entry of missing) {
          const view = await current.embed(applyHand(entry.pixels, hand));
          if (!view || stale()) return;
          if (view.embedding) fresh.set(entry, { ...view, embedding: view.embedding });
          else entry.version = key; // a model without embeddings: nothing to learn
        }
      }
      for (const [entry, view] of fresh) {
        entry.view = view;
        entry.version = key;
      }
      if (sameHand(hand, current.hand) && !fresh.size) return; // the head stays as it is
      current.hand = hand;
      this.learned = null;
      this.beforeNewest = null;
      this.model(current.version); // relearns now, not during the next prediction
    };
    this.fitting = run()
      .catch((err: unknown) => {
        // The hand is an improvement; the memory works without it (head and neighbours).
        log.warn('personal memory: hand fit failed', err);
      })
      .finally(() => (this.fitting = null));
  }

  /**
   * What predictions under `version` use, for digits seen through `hand` (the current one when
   * absent): null while no answer is embedded for them.
   */
  model(version: string | null, hand?: Hand): PersonalModel | null {
    if (!version || this.embedding === version) return null;
    const inUse = this.hand(version);
    if (hand && !sameHand(hand, inUse)) return null;
    const key = viewKey(version, inUse);
    // The common case, on every prediction: nothing changed since the last one.
    if (this.learned?.key === key && this.learned.model.index) return this.learned.model;
    const rows = this.rows(key);
    if (!rows.length) return null;
    if (this.learned?.key !== key) {
      // A new model or hand: the head relearns every answer, in the order they were given.
      const head = PersonalHead.replay(rows, rows[0]!.embedding.length);
      this.learned = { key, model: { head, index: null } };
    }
    const model = this.learned.model;
    model.index ??= memoryIndex(rows);
    return model;
  }

  /** Forgets every answer, here and in the store. */
  async clear(): Promise<void> {
    this.generation++;
    this.loading = Promise.resolve();
    this.entries = [];
    this.learned = null;
    this.beforeNewest = null;
    if (this.current) Object.assign(this.current, { hand: PLAIN_HAND, since: null });
    await this.store.clear();
  }

  private rows(key: string): HeadRow[] {
    return this.entries.flatMap((e) =>
      e.version === key && e.view ? [{ ...e.view, label: e.label }] : [],
    );
  }
}
