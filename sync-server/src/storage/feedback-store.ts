import {
  pngFileName,
  type FeedbackItem,
  type MetadataEntry,
  type SubsetProgress,
} from '../contract';
import type { Logger } from '../log';
import { CommitFailedError, planAdoptions, planCommit, undoPlan, writePlan } from './commit';
import { countOf, type DataState, type SubsetState } from './data-state';
import { encodeMnistPng } from './png';
import { rebuiltEntries, scanDataDir } from './scan';
import type { IngestScreen, Verdict } from './screen';
import { fsErrorCode, nodeStoreFs, type StoreFs } from './store-fs';
import { WriteHealthTracker, type WriteHealth } from './write-health';

interface EncodedItem {
  item: FeedbackItem;
  pixels: Uint8Array;
  png: Uint8Array;
  /** Flags and receive time the screen gave it, once admitted. */
  extra?: Partial<MetadataEntry>;
  verdict?: Extract<Verdict, { ok: true }>;
}

/** A stored metadata entry and the subset that holds it. */
export interface StoredEntry {
  subset: number;
  entry: MetadataEntry;
}

/** A validated item and its decoded pixels. */
export interface StoreItem {
  item: FeedbackItem;
  pixels: Uint8Array;
}

export interface StoreResult {
  accepted: number;
  duplicates: number;
  /** Items refused one by one (`quota`), by their position in the submitted list. */
  rejected: { position: number; reason: string }[];
  subset: SubsetProgress;
}

/** Who sent a batch: items without a clientId share the quota of their address. */
export interface SubmitContext {
  address?: string;
}

export interface FeedbackStoreOptions {
  dataDir: string;
  threshold: number;
  log: Logger;
  /** Called after a commit that sealed subsets is durable; must not throw. */
  onSealed?: (indices: number[]) => void;
  /** The file-system calls of a commit (tests inject failures); node's by default. */
  fs?: StoreFs;
  /** Quotas and flags for each new item (none: every new item is stored, unflagged). */
  screen?: IngestScreen;
  /** Called with the entries of each durable commit; must not throw. */
  onStored?: (added: StoredEntry[]) => void;
}

interface Job {
  items: EncodedItem[];
  address: string;
  resolve: (r: StoreResult) => void;
  reject: (e: unknown) => void;
}

// Requests folded into one commit at most; bounds the latency of the first of them.
const MAX_GROUP_JOBS = 64;

/**
 * The one writer of `new_data/`. Requests queue up; a single loop takes every queued request
 * at once, decides duplicates against the id index, and commits them together (group commit:
 * one metadata/count/folder fsync round for many requests). Each request resolves only when
 * its items are durable, so no two requests ever interleave within a subset.
 */
export class FeedbackStore {
  private queue: Job[] = [];
  private loop: Promise<void> | null = null;
  private closed = false;
  /** Set when a commit failed half-way: the state must be rebuilt from disk first. */
  private stale = false;
  private readonly fs: StoreFs;
  private readonly health: WriteHealthTracker;
  /** Entries rebuilt from file names that a resend may complete (see `planAdoptions`). */
  private rebuilt: Map<string, SubsetState>;

  private constructor(
    private readonly options: FeedbackStoreOptions,
    private state: DataState,
  ) {
    this.fs = options.fs ?? nodeStoreFs;
    this.health = new WriteHealthTracker(options.dataDir, this.fs, options.log);
    this.rebuilt = rebuiltEntries(state);
  }

  /** Scans and repairs the folder (see `scanDataDir`), then accepts writes. */
  static async open(options: FeedbackStoreOptions): Promise<FeedbackStore> {
    const state = await scanDataDir(options.dataDir, options.threshold, options.log);
    options.log.info('feedback store open', { dataDir: options.dataDir, ...countOf(state) });
    const store = new FeedbackStore(options, state);
    options.screen?.countStored([...store.storedEntries()].map((s) => s.entry));
    return store;
  }

  /**
   * Stores the items whose ids are new and that the screen admits; resolves once they are
   * durable.
   */
  submit(items: StoreItem[], context: SubmitContext = {}): Promise<StoreResult> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    // Encoding here, outside the serialized writer, overlaps this request's CPU work with
    // the commit another request is waiting on.
    const encoded = items.map(({ item, pixels }) => ({
      item,
      pixels,
      png: encodeMnistPng(pixels),
    }));
    const address = context.address ?? 'unknown';
    return new Promise((resolve, reject) => {
      this.queue.push({ items: encoded, address, resolve, reject });
      this.loop ??= this.drain().finally(() => (this.loop = null));
    });
  }

  progress(): SubsetProgress {
    const count = countOf(this.state);
    return { index: count.sub_set_count, count: count.current_count, threshold: this.threshold };
  }

  /** Every entry stored, subset by subset, in file order (the review book, statistics and
   * recent answers read it, never change it). */
  *storedEntries(): Generator<StoredEntry> {
    for (const [subset, s] of this.state.subsets)
      for (const entry of s.entries) yield { subset, entry };
  }

  /** Items stored over all subsets, and subsets sealed. */
  totals(): { total: number; sealedSubsets: number } {
    return { total: this.state.total, sealedSubsets: this.state.openIndex };
  }

  /**
   * Whether writes work, for readiness: after a failed write it probes the disk, so it
   * recovers as soon as a write succeeds again. Not ready once closing.
   */
  async writable(): Promise<WriteHealth> {
    if (this.closed) return { ok: false, reason: 'the server is shutting down' };
    return this.health.probe();
  }

  /** Refuses new writes and waits for the queued ones. */
  async close(): Promise<void> {
    this.closed = true;
    while (this.loop) await this.loop;
  }

  private get threshold(): number {
    return this.options.threshold;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, MAX_GROUP_JOBS);
      await this.commitGroup(group);
    }
  }

  private async commitGroup(group: Job[]): Promise<void> {
    if (this.stale && !(await this.rescan())) {
      for (const job of group) job.reject(new StoreWriteError('new_data could not be read back'));
      return;
    }
    const fresh = new Map<string, EncodedItem>();
    const adoptions: { item: FeedbackItem; subset: SubsetState }[] = [];
    const counts = group.map((job) => {
      let accepted = 0;
      const rejected: StoreResult['rejected'] = [];
      job.items.forEach((it, position) => {
        const { id } = it.item;
        if (this.state.ids.has(id) || fresh.has(id) || adoptions.some((a) => a.item.id === id))
          return;
        // A resend of a sample whose entry was rebuilt from its file name: stored already.
        const subset = this.rebuilt.size > 0 ? this.rebuilt.get(naturalFileName(it.item)) : null;
        if (subset) return void adoptions.push({ item: it.item, subset });
        const verdict = this.options.screen?.admit(it.item, it.pixels, job.address);
        if (verdict && !verdict.ok) return void rejected.push({ position, reason: verdict.reason });
        if (verdict) {
          it.verdict = verdict;
          it.extra = {
            received_at: verdict.receivedAt,
            ...(verdict.flags.length > 0 ? { flags: verdict.flags } : {}),
          };
        }
        fresh.set(id, it);
        accepted++;
      });
      return { accepted, duplicates: job.items.length - accepted - rejected.length, rejected };
    });
    const plan = planCommit(this.state, [...fresh.values()], this.threshold);
    planAdoptions(this.state, plan, adoptions);
    try {
      if (fresh.size > 0 || plan.adopted.length > 0)
        await writePlan(this.options.dataDir, this.state, plan, this.fs);
    } catch (err) {
      for (const it of fresh.values()) if (it.verdict) this.options.screen?.release(it.verdict);
      await this.recover(plan, err);
      const cause = err instanceof CommitFailedError ? err.cause : err;
      const rejection = fsErrorCode(cause) ? new StoreWriteError(cause) : cause;
      for (const job of group) job.reject(rejection);
      return;
    }
    if (fresh.size > 0 || plan.adopted.length > 0) this.health.succeeded();
    for (const { item } of adoptions) this.rebuilt.delete(naturalFileName(item));
    this.options.onStored?.(
      [...plan.added].flatMap(([s, list]) => list.map(({ entry }) => ({ subset: s.index, entry }))),
    );
    const subset = this.progress();
    group.forEach((job, i) => job.resolve({ ...counts[i]!, subset }));
    if (plan.sealed.length > 0) this.options.onSealed?.(plan.sealed);
  }

  // A failed commit is taken back out of the state. When the rollback left the disk as it
  // was, the state is exact again; otherwise part of the commit may be on disk, and until a
  // rescan has read it back no commit may run (a retried id could be stored twice).
  private async recover(plan: ReturnType<typeof planCommit>, err: unknown): Promise<void> {
    undoPlan(this.state, plan);
    this.health.failed(err instanceof CommitFailedError ? err.cause : err);
    if (err instanceof CommitFailedError && err.clean) return;
    this.stale = true;
    await this.rescan();
  }

  // After a failed commit the in-memory state may claim items the disk lacks; the folders
  // are the truth, so read them again. Until that works no commit runs on the stale state.
  private async rescan(): Promise<boolean> {
    try {
      this.state = await scanDataDir(this.options.dataDir, this.threshold, this.options.log);
      this.rebuilt = rebuiltEntries(this.state);
      this.stale = false;
    } catch (err) {
      this.health.failed(err);
    }
    return !this.stale;
  }
}

export class StoreClosedError extends Error {
  override name = 'StoreClosedError';
  constructor() {
    super('the server is shutting down');
  }
}

/**
 * The store could not answer a read or an admin decision (the database is unreachable or too
 * slow): a 503 with Retry-After, like a failed write, never a 500 with a stack.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(cause: unknown) {
    super('the store cannot answer now', { cause });
  }
}

/** The disk refused a write (full, read-only, failing): the answer is a 503, retry later. */
export class StoreWriteError extends Error {
  override name = 'StoreWriteError';
  constructor(cause: unknown) {
    super(
      typeof cause === 'string' ? cause : `storage write failed (${fsErrorCode(cause) ?? 'error'})`,
      { cause },
    );
  }
}

// The file name an item gets when its name is free (see `toEntry` in commit.ts).
function naturalFileName(item: FeedbackItem): string {
  return pngFileName(item.label, Date.parse(item.createdAt), item.id);
}
