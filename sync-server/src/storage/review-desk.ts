import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { subsetDirName, type ReviewItem, type ReviewState, type ReviewVerdict } from '../contract';
import type { ReviewBook } from './review-book';

/**
 * What the review routes and the status need of a store's review: the file store's
 * `ReviewBook` (through `fileReviewDesk`) or the PostgreSQL store's decisions table.
 */
export interface ReviewDesk {
  /**
   * Takes in what the trainer held back since the last call (`new_data/disputed.jsonl`):
   * those answers wait for review like flagged ones. Never rejects.
   */
  refresh(): Promise<void>;
  /** Flagged answers with no decision yet (served from memory: the status polls it). */
  pending(): number;
  /** One page of items in `state`, oldest first, after `cursor` (an earlier page's `next`). */
  page(state: ReviewState, cursor?: number): Promise<{ items: ReviewItem[]; next: string | null }>;
  /** Records `decision` durably on each stored id; says which ids were never stored. */
  decide(
    ids: readonly string[],
    decision: ReviewVerdict,
    by: string,
  ): Promise<{ decided: number; unknown: string[] }>;
  /** Ids of every item one client sent. */
  idsOfClient(clientId: string): Promise<string[]>;
  /** The stored PNG of an answer, or null for an id the server never stored. */
  image(id: string): Promise<Uint8Array | null>;
}

/** The file store's review: `book` for the decisions, the PNGs in `dataDir`. */
export function fileReviewDesk(book: ReviewBook, dataDir: string): ReviewDesk {
  return {
    refresh: () => book.refresh(),
    pending: () => book.pending(),
    page: async (state, cursor) => book.page(state, cursor),
    decide: (ids, decision, by) => book.decide(ids, decision, by),
    idsOfClient: async (clientId) => book.idsOfClient(clientId),
    image: async (id) => {
      const stored = book.locate(id);
      if (!stored) return null;
      return readFile(join(dataDir, subsetDirName(stored.subset), stored.entry.filename));
    },
  };
}
