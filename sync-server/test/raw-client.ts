import { connect } from 'node:net';

/**
 * A raw HTTP/1.1 client on one connection: what tests need to hold a request half-sent (a
 * barrier) or to see exactly when the server closes the connection.
 */
export function rawClient(port: number) {
  const socket = connect(port, '127.0.0.1');
  let data = '';
  socket.on('data', (d: Buffer) => (data += d));
  socket.on('error', () => undefined);
  const ended = new Promise<void>((r) => socket.on('close', () => r()));
  // The first `n` responses, or a failure if the connection closes before them.
  const responses = (n: number) =>
    new Promise<string>((resolve, reject) => {
      const check = () => {
        if ((data.match(/HTTP\/1\.1 \d{3}/g) ?? []).length >= n) resolve(data);
      };
      socket.on('data', check);
      socket.on('close', () => reject(new Error(`closed after ${JSON.stringify(data)}`)));
      check();
    });
  return { socket, ended, responses, text: () => data };
}

/** 'connected', or the error code of a connection attempt (ECONNREFUSED once not listening). */
export function connectOutcome(port: number): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.on('connect', () => (s.destroy(), resolve('connected')));
    s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
  });
}
