import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The one helper that gives a test a real PostgreSQL: Debian's server binaries, a cluster in
// a temp folder, a Unix socket in that folder, no TCP. PostgreSQL refuses to run as root, so
// every server command runs as the `postgres` system user when the tests run as root.

// Debian installs each major version under its own folder; the newest one is used.
const BIN = newestBin('/usr/lib/postgresql');
const SUPERUSER = 'postgres';
/** The role and database the server under test uses: the owner of its tables, no superuser. */
export const APP_ROLE = 'feedback_app';
export const APP_DB = 'feedback';
const NO_FSYNC = ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off';
// initdb costs seconds; a cluster initialized once is copied by every test file instead.
const TEMPLATE = join(tmpdir(), `sync-server-pg-template-${BIN.split('/').at(-2)}`);

/** Why the PostgreSQL tests cannot run here, or null when they can. */
export function pgUnavailable(): string | null {
  if (!existsSync(join(BIN, 'initdb')) || !existsSync(join(BIN, 'pg_ctl')))
    return `PostgreSQL server binaries not found in ${BIN} (apt-get install postgresql)`;
  return null;
}

/** A suite title that says why it is skipped when no PostgreSQL is installed. */
export function pgSuite(title: string): string {
  const why = pgUnavailable();
  return why ? `${title} (skipped: ${why})` : title;
}

export interface PgCluster {
  /** A connection string for the app role over the Unix socket. */
  url: string;
  /** Same, for the superuser (test set-up and checks). */
  adminUrl: string;
  /** A fresh database owned by the app role; its connection string. */
  createDatabase(name: string): string;
  stop(): void;
  start(): void;
  /** Stops the server and deletes the folder. */
  destroy(): void;
}

/**
 * Starts a fresh cluster (from the shared template) with the app role and database. Tests
 * run without fsync (a crash of the test machine loses nothing of value); the bench passes
 * `durable`, since it measures items that survive a power loss.
 */
export function startCluster({ durable = false }: { durable?: boolean } = {}): PgCluster {
  ensureTemplate();
  const root = mkdtempSync(join(tmpdir(), 'sync-server-pg-'));
  chmodSync(root, 0o777);
  const data = join(root, 'data');
  asPostgres('cp', ['-a', TEMPLATE, data]);
  const running = () => {
    try {
      asPostgres(join(BIN, 'pg_ctl'), ['-D', data, 'status']);
      return true;
    } catch {
      return false;
    }
  };
  // Idempotent, so a test that failed while the server was stopped does not sink the next.
  const start = () =>
    running() ||
    asPostgres(join(BIN, 'pg_ctl'), [
      '-D',
      data,
      '-w',
      '-s',
      '-l',
      join(root, 'server.log'),
      '-o',
      `-k ${root} -c listen_addresses=''${durable ? '' : NO_FSYNC}`,
      'start',
    ]);
  const stop = () =>
    asPostgres(join(BIN, 'pg_ctl'), ['-D', data, '-w', '-s', '-m', 'fast', 'stop']);
  start();
  const host = encodeURIComponent(root);
  const psql = (sql: string) =>
    execFileSync(join(BIN, 'psql'), ['-h', root, '-U', SUPERUSER, '-d', 'postgres', '-qc', sql]);
  psql(`CREATE ROLE ${APP_ROLE} LOGIN`);
  psql(`CREATE DATABASE ${APP_DB} OWNER ${APP_ROLE}`);
  return {
    url: `postgres://${APP_ROLE}@${host}/${APP_DB}`,
    adminUrl: `postgres://${SUPERUSER}@${host}/${APP_DB}`,
    createDatabase(name: string) {
      start();
      psql(`CREATE DATABASE ${name} OWNER ${APP_ROLE}`);
      return `postgres://${APP_ROLE}@${host}/${name}`;
    },
    stop,
    start,
    destroy() {
      try {
        stop();
      } catch {
        // Already stopped (a test stopped it): the folder goes anyway.
      }
      rmSync(root, { recursive: true, force: true });
    },
  };
}

function ensureTemplate(): void {
  if (existsSync(TEMPLATE)) return;
  const building = mkdtempSync(join(tmpdir(), 'sync-server-pg-initdb-'));
  chmodSync(building, 0o777);
  const data = join(building, 'data');
  asPostgres(join(BIN, 'initdb'), [
    '-D',
    data,
    '-A',
    'trust',
    '-U',
    SUPERUSER,
    '--no-sync',
    '-E',
    'UTF8',
  ]);
  try {
    // Atomic: test files starting together build at most a few, and all but one lose the rename.
    renameSync(data, TEMPLATE);
  } catch {
    // Another file's template won; it is as good as this one.
  }
  rmSync(building, { recursive: true, force: true });
}

function asPostgres(cmd: string, args: string[]): void {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  execFileSync(file, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
}

function newestBin(root: string): string {
  let versions: number[] = [];
  try {
    versions = readdirSync(root).map(Number).filter(Number.isInteger);
  } catch {
    // No PostgreSQL at all: `pgUnavailable` says so.
  }
  return join(root, String(Math.max(0, ...versions)), 'bin');
}
