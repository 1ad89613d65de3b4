import { mkdir, rename, unlink } from 'node:fs/promises';
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
import { fsyncDir, tempPathFor, writeFileSynced } from '../registry';
import { countOf, openSubset, type DataState, type SubsetState } from './data-state';

// File writes in flight at once; each holds a libuv thread while it fsyncs, so the pool
// (UV_THREADPOOL_SIZE, raised by `npm start`) bounds how many really overlap.
const WRITE_CONCURRENCY = 64;

/** What a commit changed, for the caller to report. */
export interface CommitPlan {
  /** Per subset touched: its entries to add, each with its encoded PNG. */
  added: Map<SubsetState, { entry: MetadataEntry; png: Uint8Array }[]>;
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
  items: { item: FeedbackItem; png: Uint8Array }[],
  threshold: number,
): CommitPlan {
  const plan: CommitPlan = {
    added: new Map(),
    sealed: [],
    openBefore: state.openIndex,
  };
  for (const { item, png } of items) {
    const subset = openSubset(state);
    const entry = toEntry(item, subset);
    subset.entries.push(entry);
    subset.names.add(entry.filename);
    state.ids.add(item.id);
    state.total++;
    const list = plan.added.get(subset) ?? [];
    list.push({ entry, png });
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
 * Makes a planned commit durable in two fsync rounds (fsync latency, not bandwidth, is what
 * limits ingest):
 * 1. in parallel: every PNG, every touched metadata.json's temp file and count.json's temp
 *    file are written and flushed (new subset folders are created first);
 * 2. the metadata.json renames (the commit point of their items), then count.json's;
 * 3. in parallel: every touched folder is flushed, making the names durable. Only then may
 *    the caller answer.
 * A crash before 2 leaves orphan PNGs and temp files, which the start-up scan deletes; a
 * crash inside 2 leaves a count.json the scan rebuilds. After a power loss before 3, a
 * renamed metadata.json might name a PNG whose name was lost: that item was never
 * acknowledged, and the scan drops such entries (see `scanDataDir`). Nothing acknowledged
 * is ever lost.
 */
export async function writePlan(
  dataDir: string,
  state: DataState,
  plan: CommitPlan,
): Promise<void> {
  const dirOf = (index: number) => join(dataDir, subsetDirName(index));
  const touched = [...plan.added.keys()];
  for (const s of touched) await mkdir(dirOf(s.index), { recursive: true });
  const pngs = [...plan.added].flatMap(([subset, list]) =>
    list.map(({ entry, png }) => ({ path: join(dirOf(subset.index), entry.filename), png })),
  );
  const metas = touched.map((s) => ({
    path: join(dirOf(s.index), METADATA_FILE),
    temp: '',
    body: metadataJson(s),
  }));
  const count = {
    path: join(dataDir, COUNT_FILE),
    temp: '',
    body: `${JSON.stringify(countOf(state))}\n`,
  };
  const temps = [...metas, count];
  for (const t of temps) t.temp = tempPathFor(t.path);
  try {
    await inParallel(
      [
        ...pngs.map((p) => () => writeFileSynced(p.path, p.png)),
        ...temps.map((t) => () => writeFileSynced(t.temp, t.body)),
      ],
      WRITE_CONCURRENCY,
    );
    for (const t of temps) await rename(t.temp, t.path);
  } catch (err) {
    await Promise.all(temps.map((t) => unlink(t.temp).catch(() => undefined)));
    throw err;
  }
  await Promise.all([...touched.map((s) => fsyncDir(dirOf(s.index))), fsyncDir(dataDir)]);
}

function metadataJson(subset: SubsetState): string {
  return `${JSON.stringify(subset.entries, null, 2)}\n`;
}

async function inParallel(tasks: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
}
