import pg from 'pg';
import type { Logger } from '../log';
import { StoreUnavailableError } from '../storage/feedback-store';

/** How long any one database call may take; a request waits at most about twice this. */
export interface PgTimeouts {
  /** Connecting, and each statement (server-side `statement_timeout` and client-side). */
  timeoutMs: number;
}

// Session-level advisory lock keys (any bigint unique to this application).
export const MIGRATE_LOCK = 7_310_001;
export const RETRAIN_LOCK = 7_310_002;
/** The channel every commit notifies with the new state (see `ingest.ts`). */
export const STATE_CHANNEL = 'feedback_state';

/** The client settings shared by the pool and the session client. */
export function clientConfig(url: string, { timeoutMs }: PgTimeouts): pg.ClientConfig {
  return {
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    // The server cancels a slow statement; the client gives up too in case the server is gone.
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs + 1_000,
    lock_timeout: timeoutMs,
    idle_in_transaction_session_timeout: timeoutMs * 2,
    application_name: 'sync-server',
  };
}

/**
 * A pool for the store. An idle client the server dropped emits 'error' on the pool: it is
 * removed from the pool and logged at debug (the next request connects anew), never thrown.
 * The connection string is never logged: it may hold a password.
 */
export function createPool(url: string, timeouts: PgTimeouts, log: Logger, max = 10): pg.Pool {
  const pool = new pg.Pool({ ...clientConfig(url, timeouts), max });
  pool.on('error', (err) => log.debug('idle database connection lost', { message: err.message }));
  return pool;
}

/** The error's message without the connection string (pg never puts it there, but be sure). */
export function safeMessage(err: unknown, url: string): string {
  const message = err instanceof Error ? err.message : String(err);
  return url ? message.split(url).join('<DATABASE_URL>') : message;
}

/**
 * Runs `work` on a client of the pool. A checked-out client has no 'error' listener of the
 * pool's, and a connection dying under it would throw out of the process: this one listens
 * for the time of the work. A client whose work failed is discarded, never reused.
 */
export async function withClient<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  const ignore = () => undefined; // the failing query rejects with it; that is handled.
  client.on('error', ignore);
  try {
    const result = await work(client);
    client.removeListener('error', ignore);
    client.release();
    return result;
  } catch (err) {
    client.removeListener('error', ignore);
    client.release(err instanceof Error ? err : new Error(String(err)));
    throw err;
  }
}

/**
 * `fn` with a rejection turned into `StoreUnavailableError`: the store's queries are fixed,
 * so a failure means the database is unreachable or too slow, and the request gets a 503
 * with Retry-After rather than a 500.
 */
export function orUnavailable<A extends unknown[], R>(
  fn: (...args: A) => Promise<R>,
): (...args: A) => Promise<R> {
  return async (...args) => {
    try {
      return await fn(...args);
    } catch (err) {
      throw new StoreUnavailableError(err);
    }
  };
}
