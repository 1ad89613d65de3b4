// The one writer every bench shares: the machine it ran on, and its run added to its file.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { z } from 'zod';
import type { Machine } from './results-base';

export const resultsFileSchema = <T extends z.ZodType>(run: T) =>
  z.object({ runs: z.array(run).min(1) });

/** Runs kept per results file: enough to show the spread on a shared box. */
export const KEEP_RUNS = 3;

/** Call at the start of a bench; call `done()` at the end for the machine description. */
export function watchMachine(browser?: string): { done: () => Machine } {
  const start = loadavg()[0] ?? 0;
  return {
    done: () => {
      const end = loadavg()[0] ?? 0;
      const round = (x: number) => Math.round(x * 10) / 10;
      return {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model.trim() ?? 'unknown',
        memGiB: Math.round(totalmem() / 2 ** 30),
        node: process.version,
        load: { min: round(Math.min(start, end)), max: round(Math.max(start, end)) },
        ...(browser ? { browser } : {}),
      };
    },
  };
}

/**
 * Adds `run` to the results file at `path`, keeping the newest `KEEP_RUNS`. With `sameAs`, an
 * earlier run it matches is replaced instead (the replay keeps one run per variant).
 */
export function recordRun<T extends { date: string }>(
  path: string,
  run: T,
  sameAs?: (earlier: T) => boolean,
): void {
  let runs: T[] = [];
  try {
    runs = (JSON.parse(readFileSync(path, 'utf8')) as { runs: T[] }).runs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const kept = sameAs ? runs.filter((r) => !sameAs(r)) : runs.slice(-(KEEP_RUNS - 1));
  // Written beside and renamed into place: an interrupted bench never leaves half a file.
  const partial = `${path}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify({ runs: [...kept, run] }, null, 2)}\n`);
  renameSync(partial, path);
}
