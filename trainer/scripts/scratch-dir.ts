// A temp folder for a script or bench that copies models/ and writes new_data/: removed when the
// run ends, and when it is stopped (Ctrl-C, a kill) too.
import { mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export interface ScratchDir {
  path: string;
  /** Removes the folder and stops watching for signals. */
  remove(): Promise<void>;
}

/**
 * Makes a temp folder named `prefix…` and removes it if the process is stopped by SIGINT or
 * SIGTERM, then exits 130 or 143; a stopped run records nothing. The handlers stay installed
 * while they remove: Ctrl-C in a terminal signals npm, tsx and the script alike, and a second
 * signal arriving with no handler left would kill the process halfway through the removal.
 */
export async function scratchDir(prefix: string): Promise<ScratchDir> {
  const path = await mkdtemp(join(tmpdir(), prefix));
  let stopping = false;
  const handlers = Object.entries(EXIT_CODES).map(([signal, code]) => {
    const handler = () => {
      if (stopping) return;
      stopping = true;
      rmSync(path, { recursive: true, force: true });
      process.exit(code);
    };
    process.on(signal, handler);
    return [signal, handler] as const;
  });
  return {
    path,
    async remove() {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      await rm(path, { recursive: true, force: true });
    },
  };
}
