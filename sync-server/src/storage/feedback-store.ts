import type { FeedbackItem, SubsetProgress } from '../contract';
import type { Logger } from '../log';
import { planCommit, undoPlan, writePlan } from './commit';
import { countOf, type DataState } from './data-state';
import { encodeMnistPng } from './png';
import { scanDataDir } from './scan';

interface EncodedItem {
  item: FeedbackItem;
  png: Uint8Array;
}

/** A validated item and its decoded pixels. */
export interface StoreItem {
  item: FeedbackItem;
  pixels: Uint8Array;
}

export interface StoreResult {
  accepted: number;
  duplicates: number;
  subset: SubsetProgress;
}

export interface FeedbackStoreOptions {
  dataDir: string;
  threshold: number;
  log: Logger;
  /** Called after a commit that sealed subsets is durable; must not throw. */
  onSealed?: (indices: number[]) => void;
}

interface Job {
  items: EncodedItem[];
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

  private constructor(
    private readonly options: FeedbackStoreOptions,
    private state: DataState,
  ) {}

  /** Scans and repairs the folder (see `scanDataDir`), then accepts writes. */
  static async open(options: FeedbackStoreOptions): Promise<FeedbackStore> {
    const state = await scanDataDir(options.dataDir, options.threshold, options.log);
    options.log.info('feedback store open', { dataDir: options.dataDir, ...countOf(state) });
    return new FeedbackStore(options, state);
  }

  /** Stores the items whose ids are new; resolves once they are durable. */
  submit(items: StoreItem[]): Promise<StoreResult> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    // Encoding here, outside the serialized writer, overlaps this request's CPU work with
    // the commit another request is waiting on.
    const encoded = items.map(({ item, pixels }) => ({ item, png: encodeMnistPng(pixels) }));
    return new Promise((resolve, reject) => {
      this.queue.push({ items: encoded, resolve, reject });
      this.loop ??= this.drain().finally(() => (this.loop = null));
    });
  }

  progress(): SubsetProgress {
    const count = countOf(this.state);
    return { index: count.sub_set_count, count: count.current_count, threshold: this.threshold };
  }

  /** Items stored over all subsets, and subsets sealed. */
  totals(): { total: number; sealedSubsets: number } {
    return { total: this.state.total, sealedSubsets: this.state.openIndex };
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
      for (const job of group) job.reject(new Error('new_data could not be read back'));
      return;
    }
    const fresh = new Map<string, EncodedItem>();
    const counts = group.map((job) => {
      let accepted = 0;
      for (const it of job.items) {
        if (this.state.ids.has(it.item.id) || fresh.has(it.item.id)) continue;
        fresh.set(it.item.id, it);
        accepted++;
      }
      return { accepted, duplicates: job.items.length - accepted };
    });
    const plan = planCommit(this.state, [...fresh.values()], this.threshold);
    try {
      if (fresh.size > 0) await writePlan(this.options.dataDir, this.state, plan);
    } catch (err) {
      this.options.log.error('commit failed; rescanning new_data', { err });
      // Part of the commit may have reached the disk: until a rescan has read it back, no
      // commit may run (a retried id could otherwise be stored twice).
      undoPlan(this.state, plan);
      this.stale = true;
      await this.rescan();
      for (const job of group) job.reject(err);
      return;
    }
    const subset = this.progress();
    group.forEach((job, i) => job.resolve({ ...counts[i]!, subset }));
    if (plan.sealed.length > 0) this.options.onSealed?.(plan.sealed);
  }

  // After a failed commit the in-memory state may claim items the disk lacks; the folders
  // are the truth, so read them again. Until that works no commit runs on the stale state.
  private async rescan(): Promise<boolean> {
    try {
      this.state = await scanDataDir(this.options.dataDir, this.threshold, this.options.log);
      this.stale = false;
    } catch (err) {
      this.options.log.error('rescan failed', { err });
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
