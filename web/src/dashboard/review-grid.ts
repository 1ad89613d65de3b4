import type { ReviewItem, ReviewState, ReviewVerdict } from 'sync-server/contract';

/** The keys the review grid answers, and what each does. */
export type GridAction =
  { kind: 'move'; to: number } | { kind: 'decide'; decision: ReviewVerdict } | null;

/**
 * What a key press on the grid means, with the focused card at `index` of `count` laid out
 * in `columns` columns: arrows move (up and down by a row), Home and End jump, A accepts and
 * R rejects. Null for any other key (or a modified one), which the browser keeps.
 */
export function gridAction(
  key: string,
  index: number,
  count: number,
  columns: number,
  modified = false,
): GridAction {
  if (modified || count === 0) return null;
  const cols = Math.max(1, columns);
  const move = (to: number): GridAction => ({
    kind: 'move',
    to: Math.min(count - 1, Math.max(0, to)),
  });
  switch (key) {
    case 'ArrowRight':
      return move(index + 1);
    case 'ArrowLeft':
      return move(index - 1);
    case 'ArrowDown':
      return index + cols < count ? move(index + cols) : move(index);
    case 'ArrowUp':
      return index - cols >= 0 ? move(index - cols) : move(index);
    case 'Home':
      return move(0);
    case 'End':
      return move(count - 1);
    case 'a':
    case 'A':
      return { kind: 'decide', decision: 'accept' };
    case 'r':
    case 'R':
      return { kind: 'decide', decision: 'reject' };
    default:
      return null;
  }
}

export const stateAfter = (decision: ReviewVerdict): ReviewState =>
  decision === 'accept' ? 'accepted' : 'rejected';

/**
 * The listed items once `decision` was recorded on `ids` (lower case): an item whose new
 * state is not the one shown leaves the list, so the card after it takes its place (and the
 * focus); one that stays shows its new state.
 */
export function afterDecision(
  items: readonly ReviewItem[],
  ids: ReadonlySet<string>,
  decision: ReviewVerdict,
  shown: ReviewState,
): ReviewItem[] {
  const state = stateAfter(decision);
  return items
    .map((item) => (ids.has(item.id.toLowerCase()) ? { ...item, state } : item))
    .filter((item) => item.state === shown);
}

/** Where the focus goes once the list shrank: the same place, or the last card, or none. */
export function focusAfter(index: number, count: number): number | null {
  return count === 0 ? null : Math.min(index, count - 1);
}

/** How many cards share the first card's row: the grid's column count as laid out. */
export function columnsOf(tops: readonly number[]): number {
  if (tops.length === 0) return 1;
  const first = tops[0]!;
  const n = tops.findIndex((t) => Math.abs(t - first) > 1);
  return n === -1 ? tops.length : n;
}
