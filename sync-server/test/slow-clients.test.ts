import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerLimitsConfig } from '../src/config';
import { createLogger } from '../src/log';
import { applyServerLimits } from '../src/server-limits';
import { makeApp, makeItem, tempDirs, type TestApp } from './helpers';

// Findings 3 and 4 of issue 14: stalled uploads are cut and counted against caps; an upload
// the client abandons is a 499 at info, not a 500 with a stack.

interface Running {
  t: TestApp;
  port: number;
  lines: { level: string; msg: string; status?: number }[];
  /** Settles when the first request reaches the app. */
  arrival: Promise<void>;
}
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

const LIMITS: ServerLimitsConfig = {
  headersTimeoutMs: 5_000,
  bodyTimeoutMs: 300,
  requestTimeoutMs: 20_000,
  keepAliveTimeoutMs: 5_000,
  maxBodies: 3,
  maxBodiesPerClient: 2,
};

async function serve(limits: Partial<ServerLimitsConfig> | null): Promise<Running> {
  const dirs = tempDirs();
  const lines: Running['lines'] = [];
  const log = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l)) });
  const t = await makeApp(dirs, {
    log,
    ...(limits ? { limits: { ...LIMITS, ...limits } } : {}),
    // Tests name their client in a header; the server itself keys on the peer address.
    clientKey: (c) => c.req.header('x-client') ?? 'a',
  });
  let arrived = () => undefined as void;
  const arrival = new Promise<void>((r) => (arrived = r));
  const server = createAdaptorServer({
    fetch: (req, env) => (arrived(), t.app.fetch(req, env)),
  }) as Server;
  applyServerLimits(server, { ...LIMITS, ...limits });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  stops.push(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await t.close();
    dirs.cleanup();
  });
  return { t, port: (server.address() as AddressInfo).port, lines, arrival };
}

/** A socket that sent an upload's head and the start of its body, then nothing. */
function stalledUpload(port: number, client = 'a'): { socket: Socket; answer: Promise<string> } {
  const body = JSON.stringify({ items: [makeItem()] });
  const socket = connect(port, '127.0.0.1');
  socket.write(
    `POST /api/feedback HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `X-Client: ${client}\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 40)}`,
  );
  let got = '';
  socket.on('data', (d: Buffer) => (got += d.toString()));
  socket.on('error', () => undefined);
  const answer = new Promise<string>((r) => socket.on('close', () => r(got)));
  return { socket, answer };
}

/** Waits until the gauge of bodies in progress reads `n`. */
async function bodiesInProgress(t: TestApp, n: number): Promise<void> {
  for (;;) {
    const text = await t.metrics.render();
    if (new RegExp(`^http_request_bodies_in_progress ${n}$`, 'm').test(text)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('stalled uploads', () => {
  it('are cut with a 408 and the JSON error once the body deadline passes', async () => {
    const { port, t } = await serve({});
    const { answer } = stalledUpload(port);
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(text).toMatch(/connection: close/i);
    expect(text).toContain('"code":"request_timeout"');
    await bodiesInProgress(t, 0);
  });

  it('beyond the per-client cap get 429, beyond the total cap 503, both with Retry-After', async () => {
    const { port, t } = await serve({ bodyTimeoutMs: 20_000 });
    const held = [stalledUpload(port, 'a'), stalledUpload(port, 'a')];
    await bodiesInProgress(t, 2);
    const perClient = await stalledUpload(port, 'a').answer;
    expect(perClient).toMatch(/^HTTP\/1\.1 429 /);
    expect(perClient).toMatch(/retry-after: 1/i);
    held.push(stalledUpload(port, 'b'));
    await bodiesInProgress(t, 3);
    const total = await stalledUpload(port, 'c').answer;
    expect(total).toMatch(/^HTTP\/1\.1 503 /);
    expect(total).toMatch(/retry-after: 1/i);
    expect(total).toContain('"code":"busy"');
    // A slot is free again as soon as its upload ends.
    held.forEach((h) => h.socket.destroy());
    await bodiesInProgress(t, 0);
    const res = await fetch(`http://127.0.0.1:${port}/api/feedback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-client': 'a' },
      body: JSON.stringify({ items: [makeItem()] }),
    });
    expect(res.status).toBe(200);
  });
});

describe('an upload the client abandons', () => {
  it.each([
    ['behind the body gate', {}],
    ['without limits', null],
  ])('is a 499 in the log (info) and the metrics, never a 500 (%s)', async (_name, limits) => {
    const { port, t, lines, arrival } = await serve(limits);
    const { socket } = stalledUpload(port);
    // Wait until the server handles the upload, then leave.
    await arrival;
    if (limits) await bodiesInProgress(t, 1);
    socket.destroy();
    while (!lines.some((l) => l.msg === 'request')) await new Promise((r) => setTimeout(r, 10));
    const request = lines.find((l) => l.msg === 'request');
    expect(request).toMatchObject({ level: 'info', status: 499 });
    expect(lines.filter((l) => l.level === 'error')).toEqual([]);
    const metrics = await t.metrics.render();
    expect(metrics).toMatch(/http_request_duration_seconds_count\{[^}]*status="499"[^}]*\} 1/);
    expect(metrics).not.toMatch(/status="5\d\d"/);
  });
});
