import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  REVIEW_FILE,
  REVIEW_PAGE_SIZE,
  type ReviewDecision,
  type ReviewItem,
  type ReviewState,
  type ReviewVerdict,
} from '../contract';
import type { Logger } from '../log';
import { appendReviewDecisions, isErrno, readReviewDecisions } from '../registry';
import type { StoredEntry } from './feedback-store';

export interface ReviewBookOptions {
  dataDir: string;
  log: Logger;
  /** Every entry stored when the server starts. */
  entries: Iterable<StoredEntry>;
}

/**
 * Which stored answers wait for review, and the decisions made on them. Decisions are
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
  private pendingCount = 0;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly options: ReviewBookOptions) {}

  /** Reads review.jsonl (cutting a torn last line off, with a warning) and indexes `entries`. */
  static async open(options: ReviewBookOptions): Promise<ReviewBook> {
    await cutTornLine(join(options.dataDir, REVIEW_FILE), options.log);
    const book = new ReviewBook(options);
    for (const d of await readReviewDecisions(options.dataDir))
      book.decisions.set(d.id.toLowerCase(), d);
    book.add(options.entries);
    for (const id of book.decisions.keys()) if (book.known.has(id)) book.list(id);
    return book;
  }

  /** Indexes newly stored entries (the store's `onStored`). */
  add(stored: Iterable<StoredEntry>): void {
    for (const s of stored) {
      const id = s.entry.id?.toLowerCase();
      if (!id) continue;
      this.known.set(id, s);
      if ((s.entry.flags?.length ?? 0) === 0) continue;
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
    return (this.known.get(id)?.entry.flags?.length ?? 0) > 0 ? 'pending' : null;
  }

  private itemOf(id: string): ReviewItem {
    const { entry } = this.known.get(id)!;
    return {
      id,
      label: entry.true_label,
      predicted: entry.predicted_label ?? null,
      confidence: entry.confidence ?? null,
      clientId: entry.client_id ?? null,
      flags: entry.flags ?? [],
      createdAt: new Date(entry.created_at).toISOString(),
      state: this.stateOf(id)!,
      imageUrl: `/api/admin/review/${id}/image`,
    };
  }
}

/**
 * A crash mid-append can leave a last line without its newline. It was never acknowledged;
 * cut it off (with a warning), since the next append would otherwise glue a good line onto
 * it and make a middle line unreadable.
 */
async function cutTornLine(path: string, log: Logger): Promise<void> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return;
    throw err;
  }
  if (text.length === 0 || text[text.length - 1] === 0x0a) return;
  const keep = text.lastIndexOf(0x0a) + 1;
  log.warn('ignored a torn last line of review.jsonl (a crash mid-append)', {
    path,
    bytes: text.length - keep,
  });
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(keep);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
