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
import { rollBackWrites, type PendingWrite } from './commit-rollback';
import { countOf, openSubset, type DataState, type SubsetState } from './data-state';
import { tempPathFor } from '../registry';
import { nodeStoreFs, type StoreFs } from './store-fs';

// File writes in flight at once; each holds a libuv thread while it fsyncs, so the pool
// (UV_THREADPOOL_SIZE, raised by `npm start`) bounds how many really overlap.
const WRITE_CONCURRENCY = 64;

/** What a commit changed, for the caller to report. */
export interface CommitPlan {
  /** Per subset touched: its entries to add, each with its encoded PNG. */
  added: Map<SubsetState, { entry: MetadataEntry; png: Uint8Array }[]>;
  /**
   * Entries rebuilt from a file name (see `scanDataDir`) that a resent item completes: the
   * PNG stays, the entry gains the item's id and fields. `before` is the entry it replaced.
   */
  adopted: { subset: SubsetState; at: number; before: MetadataEntry }[];
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
  items: { item: FeedbackItem; png: Uint8Array; extra?: Partial<MetadataEntry> }[],
  threshold: number,
): CommitPlan {
  const plan: CommitPlan = {
    added: new Map(),
    adopted: [],
    sealed: [],
    openBefore: state.openIndex,
  };
  for (const { item, png, extra } of items) {
    const subset = openSubset(state);
    const entry = { ...toEntry(item, subset), ...extra };
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

/**
 * Completes entries rebuilt from a file name with the resent items they belong to: same
 * file, now with the item's id, so the sample is stored once and its id is known again.
 */
export function planAdoptions(
  state: DataState,
  plan: CommitPlan,
  adoptions: { item: FeedbackItem; subset: SubsetState }[],
): void {
  for (const { item, subset } of adoptions) {
    const filename = pngFileName(item.label, Date.parse(item.createdAt), item.id);
    const at = subset.entries.findIndex((e) => e.filename === filename && !e.id);
    if (at < 0) continue;
    const before = subset.entries[at]!;
    subset.entries[at] = { ...entryOf(item), filename };
    state.ids.add(item.id);
    plan.adopted.push({ subset, at, before });
  }
}

/** Every subset whose metadata.json the plan rewrites. */
export function touchedSubsets(plan: CommitPlan): SubsetState[] {
  return [...new Set([...plan.added.keys(), ...plan.adopted.map((a) => a.subset)])];
}

/** Takes a plan back out of the state after its write failed. */
export function undoPlan(state: DataState, plan: CommitPlan): void {
  for (const { subset, at, before } of plan.adopted) {
    const id = subset.entries[at]?.id;
    if (id) state.ids.delete(id);
    subset.entries[at] = before;
  }
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
// overwritten (`created_at` keeps the true time). The PostgreSQL store builds its entries here too.
export function toEntry(item: FeedbackItem, subset: SubsetState): MetadataEntry {
  let ms = Date.parse(item.createdAt);
  let filename = pngFileName(item.label, ms, item.id);
  while (subset.names.has(filename)) filename = pngFileName(item.label, ++ms, item.id);
  return { ...entryOf(item), filename };
}

function entryOf(item: FeedbackItem): Omit<MetadataEntry, 'filename'> {
  return {
    true_label: item.label,
    created_at: Date.parse(item.createdAt),
    source: FEEDBACK_SOURCE,
    id: item.id,
    predicted_label: item.predicted,
    confidence: item.confidence,
    model_version: item.modelVersion,
    ...(item.clientId ? { client_id: item.clientId } : {}),
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
 * A write that fails (a full disk) is rolled back by `rollBackWrites`: the commit's own
 * PNGs and temp files, and the folders it created, are removed again, since no
 * metadata.json names them and no client was answered. A crash before 2 leaves orphan PNGs,
 * which the start-up scan keeps by rebuilding their entries (a resend then completes them,
 * see `planAdoptions`), and temp files, which it deletes; a crash inside 2 leaves a
 * count.json the scan rebuilds. After a power loss before 3, a renamed metadata.json might
 * name a PNG whose name was lost: that item was never acknowledged, and the scan drops such
 * entries (see `scanDataDir`). Nothing acknowledged is ever lost.
 */
export async function writePlan(
  dataDir: string,
  state: DataState,
  plan: CommitPlan,
  fs: StoreFs = nodeStoreFs,
): Promise<void> {
  const dirOf = (index: number) => join(dataDir, subsetDirName(index));
  const touched = touchedSubsets(plan);
  const writes: PendingWrite[] = touched.map((s) => ({
    dir: dirOf(s.index),
    created: false,
    pngs: (plan.added.get(s) ?? []).map(({ entry, png }) => ({
      path: join(dirOf(s.index), entry.filename),
      png,
    })),
    temp: renameOf(join(dirOf(s.index), METADATA_FILE), metadataJson(s)),
  }));
  const count = renameOf(join(dataDir, COUNT_FILE), `${JSON.stringify(countOf(state))}\n`);
  const renames = [...writes.map((w) => w.temp), count];
  try {
    for (const w of writes) w.created = (await fs.mkdir(w.dir)) !== undefined;
    await inParallel(
      [
        ...writes.flatMap((w) => w.pngs.map((p) => () => fs.writeFileSynced(p.path, p.png))),
        ...renames.map((t) => () => fs.writeFileSynced(t.temp, t.body)),
      ],
      WRITE_CONCURRENCY,
    );
    for (const t of renames) {
      await fs.rename(t.temp, t.path);
      t.renamed = true;
    }
  } catch (err) {
    throw new CommitFailedError(err, await rollBackWrites(fs, writes, count, dataDir));
  }
  try {
    await Promise.all([...writes.map((w) => fs.fsyncDir(w.dir)), fs.fsyncDir(dataDir)]);
  } catch (err) {
    // Renamed but maybe not durable: only a rescan can tell what the disk holds.
    throw new CommitFailedError(err, false);
  }
}

/** A failed `writePlan`; `clean` when the disk is back as it was before the commit. */
export class CommitFailedError extends Error {
  override name = 'CommitFailedError';
  constructor(
    override readonly cause: unknown,
    readonly clean: boolean,
  ) {
    super(`commit failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

function renameOf(path: string, body: string) {
  return { path, temp: tempPathFor(path), body, renamed: false };
}

function metadataJson(subset: SubsetState): string {
  return `${JSON.stringify(subset.entries, null, 2)}\n`;
}

// Runs `tasks` at most `width` at a time. After a failure no new task starts, and it rejects
// only once the running ones have settled, so a rollback never races a write still going.
async function inParallel(tasks: (() => Promise<void>)[], width: number): Promise<void> {
  let next = 0;
  const errors: unknown[] = [];
  const worker = async () => {
    while (next < tasks.length && errors.length === 0) {
      try {
        await tasks[next++]!();
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, tasks.length) }, worker));
  if (errors.length > 0) throw errors[0];
}
