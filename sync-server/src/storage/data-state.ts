import type { CountFile, MetadataEntry } from '../contract';

/** One `sub_set_N` folder as the server knows it. */
export interface SubsetState {
  index: number;
  /** metadata.json entries, in file order: the record of what the subset holds. */
  entries: MetadataEntry[];
  /** `filename`s of `entries`, for collision checks. */
  names: Set<string>;
}

/**
 * Everything the writer needs, rebuilt from the folders on start. Invariant: it mirrors
 * what is durable on disk after every completed commit.
 */
export interface DataState {
  subsets: Map<number, SubsetState>;
  /** Index of the open subset (count.json's `sub_set_count`). */
  openIndex: number;
  /** Every item id stored so far (original entries have none). */
  ids: Set<string>;
  /** Entries over all subsets. */
  total: number;
}

export function emptySubset(index: number): SubsetState {
  return { index, entries: [], names: new Set() };
}

/** The open subset, created empty in memory when the folder does not exist yet. */
export function openSubset(state: DataState): SubsetState {
  let subset = state.subsets.get(state.openIndex);
  if (!subset) {
    subset = emptySubset(state.openIndex);
    state.subsets.set(state.openIndex, subset);
  }
  return subset;
}

/** count.json as derived from the state. */
export function countOf(state: DataState): CountFile {
  return {
    current_count: state.subsets.get(state.openIndex)?.entries.length ?? 0,
    sub_set_count: state.openIndex,
  };
}
