import { ConfigError, loadConfig, type ServerConfig } from '../src/config';
import { createLogger } from '../src/log';
import { migrate } from '../src/storage-pg/migrate';
import { createPool, safeMessage } from '../src/storage-pg/pool';
import type pg from 'pg';

/**
 * Runs `work` against the configured database (migrated first), printing one clear line
 * and exiting non-zero on failure. The connection string is never printed.
 */
export async function withDatabase(
  name: string,
  work: (pool: pg.Pool, config: ServerConfig) => Promise<string>,
): Promise<void> {
  let config: ServerConfig;
  try {
    config = loadConfig();
    if (config.store !== 'postgres')
      throw new ConfigError('set STORE=postgres and DATABASE_URL to use the database');
  } catch (err) {
    process.stderr.write(`${name}: ${(err as Error).message}\n`);
    process.exit(1);
  }
  const url = config.database.url ?? '';
  // Log lines go to stderr: stdout is the one line of the result.
  const log = createLogger({ level: config.logLevel, write: (l) => process.stderr.write(l) });
  const pool = createPool(url, config.database, log, 2);
  try {
    await migrate(pool, log);
    process.stdout.write(`${name}: ${await work(pool, config)}\n`);
  } catch (err) {
    process.stderr.write(`${name}: ${safeMessage(err, url)}\n`);
    process.exitCode = 1;
  } finally {
    await pool.end();
  }
}
