// The stalled-clients case of `npm run bench -w sync-server`: uploads that send their head
// and part of their body, then nothing. It reports what the server answered them, how long
// until each was cut, and the server's resident memory meanwhile.
import { connect } from 'node:net';

export const STALLED_UPLOADS = 500;
// Spread over loopback addresses (all of 127/8 is local on Linux), as distinct clients
// would be, so the total cap is reached and not only the per-address one.
const PER_ADDRESS = 10;
const DECLARED_BYTES = 500_000;
const SENT_BYTES = 64 * 1024;
// A client still connected this long after it stalled counts as never cut.
const GIVE_UP_MS = 10 * 60 * 1000;

export interface StalledResult {
  uploads: number;
  /** Answers by status (`none` when the socket closed without one). */
  statuses: Record<string, number>;
  /** Milliseconds from the stall until the server closed the connection, sorted. */
  cutMs: number[];
  neverCut: number;
  rssBeforeMb: number;
  rssPeakMb: number;
  rssAfterMb: number;
}

function stalledUpload(port: number, i: number): Promise<{ status: string; ms: number | null }> {
  const localAddress = `127.0.1.${1 + Math.floor(i / PER_ADDRESS)}`;
  return new Promise((resolve) => {
    let head = '';
    let stalledAt = 0;
    const socket = connect({ port, host: '127.0.0.1', localAddress }, () => {
      socket.write(
        `POST /api/feedback HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n` +
          `Content-Length: ${DECLARED_BYTES}\r\n\r\n`,
      );
      socket.write(`{"items":[${' '.repeat(SENT_BYTES)}`, () => (stalledAt = performance.now()));
    });
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ status: statusOf(head), ms: null });
    }, GIVE_UP_MS);
    socket.on('data', (d: Buffer) => (head += head.length < 64 ? d.toString('latin1') : ''));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ status: statusOf(head), ms: performance.now() - (stalledAt || performance.now()) });
    });
  });
}

const statusOf = (head: string) => /^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 'none';

async function rssMb(port: number): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const bytes = Number(/^process_resident_memory_bytes (\d+)/m.exec(text)?.[1] ?? NaN);
  return Math.round(bytes / 2 ** 20);
}

/** Runs the case against a server on `port` (with METRICS_TOKEN unset). */
export async function runStalled(port: number): Promise<StalledResult> {
  const rssBeforeMb = await rssMb(port);
  let rssPeakMb = rssBeforeMb;
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      rssPeakMb = Math.max(rssPeakMb, await rssMb(port).catch(() => 0));
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  const results = await Promise.all(
    Array.from({ length: STALLED_UPLOADS }, (_, i) => stalledUpload(port, i)),
  );
  sampling = false;
  await sampler;
  const statuses: Record<string, number> = {};
  for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
  const cut = results.flatMap((r) => (r.ms === null ? [] : [Math.round(r.ms)]));
  return {
    uploads: STALLED_UPLOADS,
    statuses,
    cutMs: cut.sort((a, b) => a - b),
    neverCut: results.length - cut.length,
    rssBeforeMb,
    rssPeakMb,
    rssAfterMb: await rssMb(port),
  };
}

/** The case's lines for the report. */
export function stalledReport(r: StalledResult, limits: string): string[] {
  const at = (q: number) => r.cutMs[Math.min(r.cutMs.length - 1, Math.floor(q * r.cutMs.length))];
  const answers = Object.entries(r.statuses)
    .map(([status, n]) => `${n} × ${status}`)
    .join(', ');
  return [
    `stalled uploads: ${r.uploads} (head + ${SENT_BYTES / 1024} KiB of a declared ${DECLARED_BYTES} B body, ${PER_ADDRESS} per loopback address), limits: ${limits}`,
    '',
    '| answers | cut after p50 ms | p99 ms | max ms | never cut | RSS before MB | peak MB | after MB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|',
    `| ${answers} | ${at(0.5) ?? '-'} | ${at(0.99) ?? '-'} | ${r.cutMs.at(-1) ?? '-'} | ${r.neverCut} | ${r.rssBeforeMb} | ${r.rssPeakMb} | ${r.rssAfterMb} |`,
  ];
}
