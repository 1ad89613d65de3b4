// Appends a bench run to the committed `bench/results.json`, which `npm run docs` renders into
// the READMEs.
import { fileURLToPath } from 'node:url';
import { recordRun, type Machine, type SyncServerRun } from '../scripts/docs/results';
import type { Row } from './run';

const RESULTS = fileURLToPath(new URL('results.json', import.meta.url));

// The run's own labels, short in the results file; a case without a short name keeps its label.
const TARGETS: Record<string, string> = {
  'POST /api/feedback (fsync)': 'feedback',
  'bare Hono JSON echo': 'echo',
};

export function writeResults(rows: Row[], machine: Machine, seconds: number, connections: number) {
  const run: SyncServerRun = {
    date: new Date().toISOString(),
    machine,
    secondsPerRun: seconds,
    connections,
    rows: rows.map((r) => ({
      target: TARGETS[r.target] ?? r.target,
      batch: r.batch,
      itemsPerSec: r.itemsPerSec,
      reqPerSec: r.reqPerSec,
      p50Ms: r.p50,
      p99Ms: r.p99,
      errors: r.errors,
    })),
  };
  recordRun(RESULTS, run);
  process.stdout.write(`written to ${RESULTS}; \`npm run docs\` updates the READMEs\n`);
}
