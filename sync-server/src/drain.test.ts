import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { connectOutcome, rawClient } from '../test/raw-client';
import { drainable } from './drain';

/** A promise and the function that settles it: holds a request in flight. */
function barrier(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

interface Rig {
  server: Server;
  port: number;
  drain: ReturnType<typeof drainable>;
  /** Resolves when the handler has the request (headers and body read). */
  received: Promise<void>;
}

const servers: Server[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.closeAllConnections();
});

/** A server whose POST handler answers only once `hold` opens; GETs answer at once. */
async function rig(hold: Promise<void>): Promise<Rig> {
  let markReceived!: () => void;
  const received = new Promise<void>((r) => (markReceived = r));
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'GET') return res.end('ok');
      markReceived();
      void hold.then(() => res.end('stored'));
    });
  });
  servers.push(server);
  const drain = drainable(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, drain, received };
}

const POST = (body: string) =>
  `POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const GET = 'GET / HTTP/1.1\r\nHost: x\r\n\r\n';

describe('drainable', () => {
  it('answers a request held in flight, with Connection: close, then resolves', async () => {
    const hold = barrier();
    const { port, drain, received } = await rig(hold.wait);
    const c = rawClient(port);
    c.socket.write(POST('{"a":1}'));
    await received;
    let done = false;
    const drained = drain({ deadlineMs: 60_000 }).then((o) => ((done = true), o));
    // Not listening any more, yet the request in flight is still owed its answer.
    expect(await connectOutcome(port)).toBe('ECONNREFUSED');
    expect(done).toBe(false);
    hold.open();
    const text = await c.responses(1);
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text.toLowerCase()).toContain('connection: close');
    expect(text).toMatch(/stored$/);
    await c.ended;
    expect(await drained).toBe('drained');
  });

  it('answers a request whose bytes arrived just before the drain began', async () => {
    const hold = barrier();
    hold.open();
    const { port, drain } = await rig(hold.wait);
    const c = rawClient(port);
    // One answered request proves the server holds this connection, now idle.
    c.socket.write(GET);
    await c.responses(1);
    c.socket.write(POST('{"b":2}'));
    // The server may not have read the new bytes yet: they must not be dropped as idle.
    const drained = drain({ deadlineMs: 60_000 });
    const text = await c.responses(2);
    expect(text).toMatch(/HTTP\/1\.1 200[\s\S]*stored$/);
    await c.ended;
    expect(await drained).toBe('drained');
  });

  it('closes an idle keep-alive connection at once', async () => {
    const hold = barrier();
    const { port, drain } = await rig(hold.wait);
    const c = rawClient(port);
    c.socket.write(GET);
    await c.responses(1);
    const drained = drain({ deadlineMs: 60_000 });
    await c.ended;
    expect(await drained).toBe('drained');
  });

  it('cuts a request still unanswered at the deadline; the client sees the close', async () => {
    const hold = barrier();
    const { port, drain, received } = await rig(hold.wait);
    const c = rawClient(port);
    c.socket.write(POST('{"c":3}'));
    await received;
    const drained = drain({ deadlineMs: 50 });
    await c.ended;
    expect(c.text()).toBe('');
    expect(await drained).toBe('cut');
    hold.open();
  });
});
