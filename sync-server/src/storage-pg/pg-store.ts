import type pg from 'pg';
import type { SubsetProgress } from '../contract';
import type { Logger } from '../log';
import { StoreClosedError, StoreWriteError } from '../storage/feedback-store';
import { encodeMnistPng } from '../storage/png';
import type { ReviewDesk } from '../storage/review-desk';
import { contentFlags, type ScreenOptions } from '../storage/screen';
import type { FeedbackStorage, StoreItem, StoreResult, SubmitContext } from '../storage/store';
import type { WriteHealth } from '../storage/write-health';
import type { AnswerInsights } from '../stats/insights';
import { ingest, readState, type IngestItem, type PgView, type StateNotice } from './ingest';
import { pgInsights } from './insights';
import { migrate } from './migrate';
import { createPool, orUnavailable, withClient, type PgTimeouts } from './pool';
import { RetrainLeader } from './retrain-leader';
import { PgReviewDesk } from './review-desk';
import { screenKey } from './screen-sql';
import { PgSession } from './session';

export interface PgStoreOptions extends PgTimeouts {
  /** DATABASE_URL; never logged. */
  url: string;
  threshold: number;
  log: Logger;
  /** Where sealed subsets are exported for the trainer before a retrain (`new_data/`). */
  dataDir: string;
  /** On the replica holding the retrain driver only, once per seal, after the export. */
  onSealed?: (indices: number[]) => void;
  /** Session tick (reconnect, leader take-over, state re-read); a few seconds by default. */
  tickMs?: number;
  poolSize?: number;
  /**
   * Quotas and flags at ingest, as the file store's `IngestScreen` applies them, counted in
   * the database; none: every new item is stored unflagged.
   */
  screen?: ScreenOptions;
}

interface Job {
  items: IngestItem[];
  queuedAt: number;
  resolve: (r: StoreResult) => void;
  reject: (e: unknown) => void;
}

// Requests folded into one transaction at most (as in the file store).
const MAX_GROUP_JOBS = 64;
const DEFAULT_TICK_MS = 2_000;

/**
 * The feedback store of several replicas: one PostgreSQL database. Like the file store it
 * queues requests and commits every waiting one in a single transaction (group commit), and
 * a request resolves only after COMMIT. Counts served by `progress`/`totals` follow the
 * database: this replica's commits at once, other replicas' through LISTEN/NOTIFY.
 */
export class PgFeedbackStore implements FeedbackStorage {
  private queue: Job[] = [];
  private loop: Promise<void> | null = null;
  private closed = false;
  private failure: { reason: string; since: string } | null = null;
  private readonly session: PgSession;
  private readonly leader: RetrainLeader;
  /** Flagged answers and decisions (`GET/POST /api/admin/review`). */
  readonly review: ReviewDesk;
  /** Statistics and recent answers over every replica's answers. */
  readonly insights: AnswerInsights;

  private constructor(
    private readonly options: PgStoreOptions,
    private readonly pool: pg.Pool,
    private view: PgView,
  ) {
    this.leader = new RetrainLeader({
      dataDir: options.dataDir,
      log: options.log,
      onSealed: (indices) => options.onSealed?.(indices),
    });
    this.session = new PgSession({
      ...options,
      tickMs: options.tickMs ?? DEFAULT_TICK_MS,
      onState: (notice) => this.apply(notice),
      onLead: (client) => this.leader.run(client),
    });
    const desk = new PgReviewDesk({
      pool,
      dataDir: options.dataDir,
      log: options.log,
      pending: () => this.view.pending,
      onState: (view) => this.apply({ ...view, sealed: [] }),
    });
    this.review = {
      refresh: () => desk.refresh(),
      pending: () => desk.pending(),
      page: orUnavailable((state, cursor) => desk.page(state, cursor)),
      decide: orUnavailable((ids, decision, by) => desk.decide(ids, decision, by)),
      idsOfClient: orUnavailable((clientId) => desk.idsOfClient(clientId)),
      image: orUnavailable((id) => desk.image(id)),
    };
    const insights = pgInsights(pool, () => this.totals());
    this.insights = {
      stats: orUnavailable(() => insights.stats()),
      recent: orUnavailable((perDigit) => insights.recent(perDigit)),
    };
  }

  /** Connects, migrates (under the advisory lock) and reads the state; throws when it cannot. */
  static async open(options: PgStoreOptions): Promise<PgFeedbackStore> {
    const pool = createPool(options.url, options, options.log, options.poolSize);
    try {
      await migrate(pool, options.log);
      const view = await readState(pool);
      const store = new PgFeedbackStore(options, pool, view);
      await store.session.start();
      options.log.info('feedback store open (postgres)', { ...view });
      return store;
    } catch (err) {
      await pool.end().catch(() => undefined);
      throw err;
    }
  }

  submit(items: StoreItem[], context: SubmitContext = {}): Promise<StoreResult> {
    if (this.closed) return Promise.reject(new StoreClosedError());
    const address = context.address ?? 'unknown';
    // The CPU work (PNG, the pixel check) runs here, outside the transaction's lock.
    const encoded = items.map(({ item, pixels }): IngestItem => {
      const png = encodeMnistPng(pixels);
      if (!this.options.screen) return { item, png };
      return {
        item,
        png,
        flags: contentFlags(item, pixels),
        key: screenKey(item.clientId, address),
      };
    });
    return new Promise((resolve, reject) => {
      this.queue.push({ items: encoded, queuedAt: Date.now(), resolve, reject });
      this.loop ??= this.drain().finally(() => (this.loop = null));
    });
  }

  progress(): SubsetProgress {
    const { openIndex, openCount } = this.view;
    return { index: openIndex, count: openCount, threshold: this.options.threshold };
  }

  totals(): { total: number; sealedSubsets: number } {
    return { total: this.view.total, sealedSubsets: this.view.openIndex };
  }

  /** Whether this replica holds the retrain driver now. */
  leads(): boolean {
    return this.session.leader;
  }

  /** Ready while commits work; after a failure, ready again once the database answers. */
  async writable(): Promise<WriteHealth> {
    if (this.closed) return { ok: false, reason: 'the server is shutting down' };
    if (!this.failure) return { ok: true };
    try {
      await this.pool.query('SELECT 1');
      this.succeeded();
    } catch (err) {
      this.failed(err);
    }
    return this.failure ? { ok: false, ...this.failure } : { ok: true };
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.loop) await this.loop;
    await this.leader.idle();
    await this.session.close();
    await this.pool.end();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) await this.commitGroup(this.queue.splice(0, MAX_GROUP_JOBS));
  }

  private async commitGroup(group: Job[]): Promise<void> {
    // A request never waits past the stated timeout for a slow database: one that queued
    // longer than that behind earlier groups is answered 503 before its own transaction.
    const deadline = Date.now() - this.options.timeoutMs;
    const late = group.filter((j) => j.queuedAt < deadline);
    for (const job of late) job.reject(new StoreWriteError('the database is too slow'));
    group = group.filter((j) => j.queuedAt >= deadline);
    const firsts = new Map<string, IngestItem>();
    for (const job of group)
      for (const it of job.items) if (!firsts.has(it.item.id)) firsts.set(it.item.id, it);
    let stored: Set<string>;
    let overQuota: Set<string>;
    try {
      const r = await withClient(this.pool, (client) =>
        ingest(client, [...firsts.values()], this.options.threshold, this.options.screen),
      );
      ({ stored, overQuota } = r);
      this.apply({ ...r.view, sealed: r.sealed });
    } catch (err) {
      this.failed(err);
      const rejection = new StoreWriteError('the database cannot store answers now');
      for (const job of group) job.reject(rejection);
      return;
    }
    this.succeeded();
    const subset = this.progress();
    for (const job of group) {
      // An id counts as accepted for the first item that carried it, in this group only.
      let accepted = 0;
      const rejected: StoreResult['rejected'] = [];
      job.items.forEach((it, position) => {
        if (stored.delete(it.item.id)) accepted++;
        else if (overQuota.has(it.item.id)) rejected.push({ position, reason: 'quota' });
      });
      const duplicates = job.items.length - accepted - rejected.length;
      job.resolve({ accepted, duplicates, rejected, subset });
    }
  }

  // Notices of two replicas may arrive in any order: keep the newest commit's.
  private apply(notice: StateNotice): void {
    if (notice.changes < this.view.changes) return;
    const { openIndex, openCount, total, pending, changes } = notice;
    this.view = { openIndex, openCount, total, pending, changes };
  }

  private failed(err: unknown): void {
    const reason = 'the database is unreachable or failing';
    if (!this.failure)
      this.options.log.warn('database writes fail; answering 503 until one works', {
        message: err instanceof Error ? err.message : String(err),
      });
    this.failure = { reason, since: this.failure?.since ?? new Date().toISOString() };
  }

  private succeeded(): void {
    if (!this.failure) return;
    this.options.log.info('database writes work again', { since: this.failure.since });
    this.failure = null;
  }
}
