// The sync-server README's blocks: the ingest bench (`sync-server-bench`) and `server-startup`.
import { provenance, startupTimes } from './block-helpers';
import { int, loadSpan, seconds, span, table } from './format';
import { RESULT_FILES, type Sources } from './sources';

const TARGET: Record<string, string> = {
  feedback: '`POST /api/feedback` (fsynced before the answer)',
  echo: 'bare Hono JSON echo',
};

export function syncServerBench(s: Sources): string {
  const rows = s.syncServer.flatMap((run) =>
    run.rows.map((r) => [
      `${run.date.slice(0, 10)}, ${loadSpan([run.machine])}`,
      TARGET[r.target] ?? r.target,
      String(r.batch),
      span([r.itemsPerSec], int),
      span([r.reqPerSec], int),
      span([r.p50Ms], int),
      span([r.p99Ms], int),
    ]),
  );
  return [
    provenance(RESULT_FILES.syncServer, s.syncServer),
    '',
    table(['run', 'target', 'batch', 'items/s', 'req/s', 'p50 ms', 'p99 ms'], rows, [
      'l',
      'l',
      'r',
      'r',
      'r',
      'r',
      'r',
    ]),
  ].join('\n');
}

export function serverStartup(s: Sources): string {
  const runs = s.serverStartup;
  const stored = [...new Set(runs.flatMap((r) => r.cases.map((c) => c.stored)))].sort(
    (a, b) => a - b,
  );
  const rows = stored.map((n) => [int(n), span(startupTimes(s, n), seconds(2))]);
  return [
    provenance(RESULT_FILES.serverStartup, runs),
    '',
    table(['answers stored', 'spawn → healthy, s'], rows, ['r', 'r']),
  ].join('\n');
}
