import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { applyServerLimits } from './server-limits';

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = null;
});

// Node's own defaults cut slow headers after about 90 s and a slow body after 330 s
// (issue 14, finding 3); these prove the configured values are the ones in force.
async function listen(limits: Parameters<typeof applyServerLimits>[1]): Promise<number> {
  const app = new Hono().get('/', (c) => c.text('ok'));
  server = createAdaptorServer({ fetch: app.fetch }) as Server;
  applyServerLimits(server, limits);
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
  return (server.address() as AddressInfo).port;
}

/** Sends `raw`, then resolves with everything received once the server closes the socket. */
function sendAndWaitForClose(port: number, raw: string): Promise<string> {
  return new Promise((resolve) => {
    let got = '';
    const socket = connect(port, '127.0.0.1', () => socket.write(raw));
    socket.on('data', (d: Buffer) => (got += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(got));
  });
}

describe('applyServerLimits', () => {
  it('cuts a client whose headers never finish, with a 408', async () => {
    const port = await listen({
      headersTimeoutMs: 200,
      requestTimeoutMs: 400,
      keepAliveTimeoutMs: 5_000,
    });
    const got = await sendAndWaitForClose(port, 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    expect(got).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const port = await listen({
      headersTimeoutMs: 5_000,
      requestTimeoutMs: 10_000,
      keepAliveTimeoutMs: 1_000,
    });
    const got = await sendAndWaitForClose(port, 'GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(got).toMatch(/^HTTP\/1\.1 200 /);
    // Node's default would announce (and wait) 5 s.
    expect(got).toMatch(/keep-alive: timeout=1\r\n/i);
  });

  it('sets the values on the server', async () => {
    await listen({ headersTimeoutMs: 3_000, requestTimeoutMs: 9_000, keepAliveTimeoutMs: 4_000 });
    expect([server!.headersTimeout, server!.requestTimeout, server!.keepAliveTimeout]).toEqual([
      3_000, 9_000, 4_000,
    ]);
  });
});
