// Cleanup for the benches and scripts of both workspaces that make temp folders, start servers
// or a PostgreSQL cluster (imported as `sync-server/scratch`): done when the run ends, and when
// it is stopped (Ctrl-C, a kill) too. A bench killed mid-run used to leave its temp folder, its
// servers and a running cluster behind.
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;
const SIGNALS = Object.keys(EXIT_CODES) as Array<keyof typeof EXIT_CODES>;

const cleanups: Array<() => void> = [];
let stopping = false;

// Runs every registered cleanup, newest first, and exits. The handlers stay installed while
// they run: Ctrl-C in a terminal signals npm, tsx and the script alike, and a second signal
// arriving with no handler left would kill the process halfway through a cleanup.
function stop(signal: keyof typeof EXIT_CODES): void {
  if (stopping) return;
  stopping = true;
  for (const cleanup of cleanups.reverse()) {
    try {
      cleanup();
    } catch (err) {
      process.stderr.write(`cleanup on ${signal} failed: ${String(err)}\n`);
    }
  }
  process.exit(EXIT_CODES[signal]);
}

/**
 * Registers a synchronous `cleanup` to run if the process is stopped by SIGINT or SIGTERM,
 * before it exits 130 or 143 (a stopped run records nothing). Returns the function that takes
 * it back, for when the run cleans up by itself; the signal handlers go with the last one.
 */
export function onStop(cleanup: () => void): () => void {
  if (cleanups.length === 0) for (const s of SIGNALS) process.on(s, stop);
  cleanups.push(cleanup);
  return () => {
    const at = cleanups.indexOf(cleanup);
    if (at >= 0) cleanups.splice(at, 1);
    if (cleanups.length === 0 && !stopping) for (const s of SIGNALS) process.off(s, stop);
  };
}

export interface ScratchDir {
  path: string;
  /** Removes the folder and its cleanup on a stop. */
  remove(): Promise<void>;
}

/** A temp folder named `prefix…`, removed by `remove()` or when the process is stopped. */
export async function scratchDir(prefix: string): Promise<ScratchDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  const forget = onStop(() => rmSync(path, { recursive: true, force: true }));
  return {
    path,
    async remove() {
      forget();
      await rm(path, { recursive: true, force: true });
    },
  };
}
