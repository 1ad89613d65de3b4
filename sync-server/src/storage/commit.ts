import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  COUNT_FILE,
  FEEDBACK_SOURCE,
  METADATA_FILE,
  pngFileName,
  subsetDirName,
  type FeedbackItem,
  type MetadataEntry,
} from '../contract';
import { countOf, openSubset, type DataState, type SubsetState } from './data-state';
import { fsyncDir, replaceFileAtomic, writeFileSynced } from './durable-fs';
import { encodeMnistPng } from './png';

// PNG writes in flight at once: enough to keep the disk queue full, few enough to leave
// libuv threads for everything else.
const WRITE_CONCURRENCY = 16;

/** What a commit changed, for the caller to report. */
export interface CommitPlan {
  /** Per subset touched: its entries to add, each with its pixels. */
  added: Map<SubsetState, { entry: MetadataEntry; pixels: Uint8Array }[]>;
  /** Subsets that were empty before this commit (their folders may be new). */
  created: number[];
  /** Subsets this commit filled. */
  sealed: number[];
  /** The open subset before the commit, to undo it. */
  openBefore: number;
}

/**
 * Assigns `items` (new ids only, already validated) to subsets and records them in `state`,
 * opening the next subset whenever one reaches `threshold`. Nothing touches the disk here;
 * `writePlan` must succeed before the state may be trusted (the store rescans on failure).
 */
export function planCommit(
  state: DataState,
  items: { item: FeedbackItem; pixels: Uint8Array }[],
  threshold: number,
): CommitPlan {
  const plan: CommitPlan = {
    added: new Map(),
    created: [],
    sealed: [],
    openBefore: state.openIndex,
  };
  for (const { item, pixels } of items) {
    const subset = openSubset(state);
    if (subset.entries.length === 0 && !plan.added.has(subset)) plan.created.push(subset.index);
    const entry = toEntry(item, subset);
    subset.entries.push(entry);
    subset.names.add(entry.filename);
    state.ids.add(item.id);
    state.total++;
    const list = plan.added.get(subset) ?? [];
    list.push({ entry, pixels });
    plan.added.set(subset, list);
    if (subset.entries.length >= threshold) {
      plan.sealed.push(subset.index);
      state.openIndex = subset.index + 1;
    }
  }
  return plan;
}

/** Takes a plan back out of the state after its write failed. */
export function undoPlan(state: DataState, plan: CommitPlan): void {
  for (const [subset, list] of plan.added) {
    subset.entries.length -= list.length;
    for (const { entry } of list) {
      subset.names.delete(entry.filename);
      if (entry.id) state.ids.delete(entry.id);
    }
    state.total -= list.length;
    if (subset.entries.length === 0) state.subsets.delete(subset.index);
  }
  state.openIndex = plan.openBefore;
}

// The metadata entry for one item. Two ids can share their first 8 hex digits, label and
// millisecond; the file name then moves to the next free millisecond so no file is
// overwritten (`created_at` keeps the true time).
function toEntry(item: FeedbackItem, subset: SubsetState): MetadataEntry {
  const createdAt = Date.parse(item.createdAt);
  let ms = createdAt;
  let filename = pngFileName(item.label, ms, item.id);
  while (subset.names.has(filename)) filename = pngFileName(item.label, ++ms, item.id);
  return {
    filename,
    true_label: item.label,
    created_at: createdAt,
    source: FEEDBACK_SOURCE,
    id: item.id,
    predicted_label: item.predicted,
    confidence: item.confidence,
    model_version: item.modelVersion,
  };
}

/**
 * Makes a planned commit durable. Order (each step durable before the next starts):
 * 1. new subset folders, and the data folder that names them;
 * 2. the PNGs (written and fsynced), and each subset folder that names them;
 * 3. each touched metadata.json (temp, fsync, rename): the commit point of its items;
 * 4. count.json (temp, fsync, rename), then the folders holding the renames.
 * A crash before 3 leaves only orphan PNGs, which the start-up scan deletes; a crash after
 * it leaves a count.json the scan rebuilds. Nothing acknowledged is ever lost.
 */
export async function writePlan(
  dataDir: string,
  state: DataState,
  plan: CommitPlan,
): Promise<void> {
  const dirOf = (index: number) => join(dataDir, subsetDirName(index));
  for (const s of plan.added.keys()) await mkdir(dirOf(s.index), { recursive: true });
  if (plan.created.length > 0) await fsyncDir(dataDir);
  const pngs = [...plan.added].flatMap(([subset, list]) =>
    list.map(({ entry, pixels }) => ({ path: join(dirOf(subset.index), entry.filename), pixels })),
  );
  await inBatches(pngs, WRITE_CONCURRENCY, (p) =>
    writeFileSynced(p.path, encodeMnistPng(p.pixels)),
  );
  const touched = [...plan.added.keys()];
  await Promise.all(touched.map((s) => fsyncDir(dirOf(s.index))));
  await Promise.all(
    touched.map((s) => replaceFileAtomic(join(dirOf(s.index), METADATA_FILE), metadataJson(s))),
  );
  await replaceFileAtomic(join(dataDir, COUNT_FILE), `${JSON.stringify(countOf(state))}\n`);
  await Promise.all([...touched.map((s) => fsyncDir(dirOf(s.index))), fsyncDir(dataDir)]);
}

function metadataJson(subset: SubsetState): string {
  return `${JSON.stringify(subset.entries, null, 2)}\n`;
}

async function inBatches<T>(list: T[], width: number, fn: (t: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < list.length) await fn(list[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(width, list.length) }, worker));
}
