import { join } from 'node:path';
import {
  DISPUTED_FILE,
  heldBackEntrySchema,
  REVIEW_FILE,
  REVIEW_PAGE_SIZE,
  type ReviewDecision,
  type ReviewItem,
  type ReviewState,
  type ReviewVerdict,
} from '../contract';
import type { Logger } from '../log';
import {
  appendReviewDecisions,
  cutTornLastLine,
  readJsonLinesFrom,
  readReviewDecisions,
} from '../registry';
import type { StoredEntry } from './feedback-store';

export interface ReviewBookOptions {
  dataDir: string;
  log: Logger;
  /** Every entry stored when the server starts. */
  entries: Iterable<StoredEntry>;
}

/**
 * Which stored answers wait for review, and the decisions made on them. An answer waits when
 * it was flagged at ingest or the trainer held it back (`new_data/disputed.jsonl`, which the
 * book follows: `refresh`). Decisions are
 * appended to `new_data/review.jsonl` (fsynced, one write per request) and only then take
 * effect here, so a decision the server acknowledged is on disk. Appends run one at a time,
 * so concurrent requests never interleave lines and the file's order is the order in force.
 */
export class ReviewBook {
  /** Every stored item with an id. */
  private readonly known = new Map<string, StoredEntry>();
  /** Ids that are flagged or were decided, in the order they became so: the listing order. */
  private readonly order: string[] = [];
  private readonly listed = new Set<string>();
  private readonly decisions = new Map<string, ReviewDecision>();
  /** Flags the trainer gave (disputed.jsonl), by id; an id may be stored after it is read. */
  private readonly heldBack = new Map<string, string[]>();
  /** Bytes of disputed.jsonl read so far. */
  private heldBackOffset = 0;
  private refreshing: Promise<void> | null = null;
  private pendingCount = 0;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly options: ReviewBookOptions) {}

  /** Reads review.jsonl (cutting a torn last line off, with a warning) and indexes `entries`. */
  static async open(options: ReviewBookOptions): Promise<ReviewBook> {
    const reviewPath = join(options.dataDir, REVIEW_FILE);
    const torn = await cutTornLastLine(reviewPath);
    if (torn > 0)
      options.log.warn('ignored a torn last line of review.jsonl (a crash mid-append)', {
        path: reviewPath,
        bytes: torn,
      });
    const book = new ReviewBook(options);
    for (const d of await readReviewDecisions(options.dataDir))
      book.decisions.set(d.id.toLowerCase(), d);
    book.add(options.entries);
    for (const id of book.decisions.keys()) if (book.known.has(id)) book.list(id);
    await book.refresh();
    return book;
  }

  /**
   * Reads what the trainer appended to `new_data/disputed.jsonl` since the last call (one
   * `stat` when nothing was): those answers wait for review like flagged ones. Calls while
   * one runs share it. The trainer may be mid-append, so an unfinished last line waits for
   * the next call; the server never writes this file. Never rejects: a failed read is
   * logged and retried on the next call, and the listing stays as it was.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.readHeldBack()
      .catch((err: unknown) =>
        this.options.log.warn('could not read disputed.jsonl', { error: String(err) }),
      )
      .finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async readHeldBack(): Promise<void> {
    const path = join(this.options.dataDir, DISPUTED_FILE);
    const tail = await readJsonLinesFrom(path, heldBackEntrySchema, this.heldBackOffset);
    this.heldBackOffset = tail.offset;
    if (tail.bad.length > 0)
      this.options.log.warn('skipped bad lines of disputed.jsonl', { path, reasons: tail.bad });
    for (const { id: raw, flag } of tail.values) {
      const id = raw.toLowerCase();
      const wasFlagged = this.isFlagged(id);
      const flags = this.heldBack.get(id) ?? [];
      if (!flags.includes(flag)) this.heldBack.set(id, [...flags, flag]);
      if (wasFlagged || !this.known.has(id)) continue;
      this.list(id);
      if (!this.decisions.has(id)) this.pendingCount++;
    }
  }

  /** Indexes newly stored entries (the store's `onStored`). */
  add(stored: Iterable<StoredEntry>): void {
    for (const s of stored) {
      const id = s.entry.id?.toLowerCase();
      if (!id) continue;
      this.known.set(id, s);
      if (!this.isFlagged(id)) continue;
      this.list(id);
      if (!this.decisions.has(id)) this.pendingCount++;
    }
  }

  /** Flagged answers with no decision yet. */
  pending(): number {
    return this.pendingCount;
  }

  /** Where the item `id` is stored, or undefined for an id the server never stored. */
  locate(id: string): StoredEntry | undefined {
    return this.known.get(id.toLowerCase());
  }

  /** Ids of every item one client sent. */
  idsOfClient(clientId: string): string[] {
    const want = clientId.toLowerCase();
    return [...this.known]
      .filter(([, s]) => s.entry.client_id?.toLowerCase() === want)
      .map(([id]) => id);
  }

  /**
   * One page of items in `state`, oldest first, from `cursor` (a position in the listing
   * order, which only grows, so a cursor stays valid while decisions are made).
   */
  page(state: ReviewState, cursor = 0): { items: ReviewItem[]; next: string | null } {
    const items: ReviewItem[] = [];
    let at = cursor;
    for (; at < this.order.length && items.length < REVIEW_PAGE_SIZE; at++) {
      const id = this.order[at]!;
      if (this.stateOf(id) === state) items.push(this.itemOf(id));
    }
    return { items, next: at < this.order.length ? String(at) : null };
  }

  /**
   * Records `decision` on each known id in one durable append; resolves once it is on disk.
   * Returns how many were recorded and which ids the server never stored.
   */
  decide(
    ids: readonly string[],
    decision: ReviewVerdict,
    by: string,
  ): Promise<{ decided: number; unknown: string[] }> {
    const run = async () => {
      // Held-back answers the trainer added since: their state decides what `pending` says.
      await this.refresh();
      const wanted = [...new Set(ids.map((id) => id.toLowerCase()))];
      const unknown = wanted.filter((id) => !this.known.has(id));
      const at = new Date().toISOString();
      const lines = wanted
        .filter((id) => this.known.has(id))
        .map((id) => ({ id, decision, at, by }));
      await appendReviewDecisions(this.options.dataDir, lines);
      for (const d of lines) {
        if (this.stateOf(d.id) === 'pending') this.pendingCount--;
        this.decisions.set(d.id, d);
        this.list(d.id);
      }
      return { decided: lines.length, unknown };
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private list(id: string): void {
    if (this.listed.has(id)) return;
    this.listed.add(id);
    this.order.push(id);
  }

  private stateOf(id: string): ReviewState | null {
    const d = this.decisions.get(id);
    if (d) return d.decision === 'accept' ? 'accepted' : 'rejected';
    return this.isFlagged(id) ? 'pending' : null;
  }

  /** Flagged at ingest or held back by the trainer. */
  private isFlagged(id: string): boolean {
    return this.flagsOf(id).length > 0;
  }

  private flagsOf(id: string): string[] {
    const ingest = this.known.get(id)?.entry.flags ?? [];
    const trainer = this.heldBack.get(id) ?? [];
    return trainer.length === 0 ? ingest : [...ingest, ...trainer];
  }

  private itemOf(id: string): ReviewItem {
    const { entry } = this.known.get(id)!;
    return {
      id,
      label: entry.true_label,
      predicted: entry.predicted_label ?? null,
      confidence: entry.confidence ?? null,
      clientId: entry.client_id ?? null,
      flags: this.flagsOf(id),
      createdAt: new Date(entry.created_at).toISOString(),
      state: this.stateOf(id)!,
      imageUrl: `/api/admin/review/${id}/image`,
    };
  }
}
