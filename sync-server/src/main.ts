import { ConfigError, loadConfig } from './config';
import { createLogger } from './log';
import { startServer } from './server';

// SIGTERM/SIGINT: stop accepting, answer what was received, flush the writes. A second signal,
// or this long past the drain deadline (a stuck writer or driver), forces the exit.
const EXIT_GRACE_MS = 5_000;

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`sync-server: ${err.message}\n`);
    process.exit(1);
  }
  const log = createLogger({ level: config.logLevel });
  let server;
  try {
    server = await startServer(config, log);
  } catch (err) {
    // One line that says why (bad folder, port taken, corrupt metadata); the stack at debug.
    log.error(`cannot start: ${err instanceof Error ? err.message : String(err)}`);
    log.debug('start failure', { err });
    process.exit(1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info('shutting down', { signal });
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs + EXIT_GRACE_MS).unref();
    server.close().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error('shutdown failed', { err });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

void main();
