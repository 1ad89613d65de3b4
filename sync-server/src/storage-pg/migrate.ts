import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type pg from 'pg';
import type { Logger } from '../log';
import { SERVER_ROOT } from '../paths';
import { MIGRATE_LOCK, withClient } from './pool';

/** `sync-server/migrations/`: `NNN-name.sql`, applied in order, each once. */
export const MIGRATIONS_DIR = join(SERVER_ROOT, 'migrations');
const FILE = /^(\d{3})-[\w-]+\.sql$/;

/** A migration failed; its message is the one line to print. */
export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Applies the migrations the database lacks, each in its own transaction with its row in
 * `schema_migrations`. The advisory lock makes replicas starting together take turns: the
 * first applies, the others then find every version applied. Returns the versions applied.
 */
export async function migrate(pool: pg.Pool, log: Logger, dir = MIGRATIONS_DIR): Promise<number[]> {
  const files = (await readdir(dir)).filter((f) => FILE.test(f)).sort();
  return withClient(pool, async (client) => {
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATE_LOCK]);
      await client.query(
        `CREATE TABLE IF NOT EXISTS schema_migrations (
         version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
      );
      const done = new Set(
        (await client.query<{ version: number }>('SELECT version FROM schema_migrations')).rows.map(
          (r) => r.version,
        ),
      );
      const applied: number[] = [];
      for (const name of files) {
        const version = Number(FILE.exec(name)![1]);
        if (done.has(version)) continue;
        const sql = await readFile(`${dir}/${name}`, 'utf8');
        try {
          await client.query('BEGIN');
          await client.query(sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            version,
            name,
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          const why = err instanceof Error ? err.message : String(err);
          throw new MigrationError(`database migration ${name} failed: ${why}`, { cause: err });
        }
        applied.push(version);
        log.info('database migration applied', { migration: name });
      }
      return applied;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATE_LOCK]).catch(() => undefined);
    }
  });
}
