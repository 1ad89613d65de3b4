import pg from 'pg';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { createApp } from '../src/app';
import type { Logger } from '../src/log';
import { exportNewData, exportReviewDecisions } from '../src/storage-pg/export';
import { importNewData } from '../src/storage-pg/import';
import type { ScreenOptions } from '../src/storage/screen';
import { makeApp, type tempDirs } from './helpers';
import { pgSuite, pgUnavailable, startCluster, type PgCluster } from './pg/cluster';
import { startReplica } from './pg/replica';

/** The app on one store, as the shared behaviour tests drive it. */
export interface CaseApp {
  app: ReturnType<typeof createApp>;
  close(): Promise<void>;
}

export interface CaseOptions {
  threshold?: number;
  /** Quotas and burst flags; none (every answer stored, unflagged by rate) by default. */
  screen?: Partial<ScreenOptions>;
  adminToken?: string | null;
  adminAuditLog?: string;
  clientKey?: () => string;
  log?: Logger;
}

type Dirs = ReturnType<typeof tempDirs>;

/**
 * One store the shared suites run against (`describe.each(storeCases())`): the file store,
 * and the PostgreSQL store on a real cluster (a fresh database per test), skipped with the
 * reason when PostgreSQL is not installed.
 */
export interface StoreCase {
  kind: 'fs' | 'postgres';
  /** The suite title's name, with why it is skipped. */
  name: string;
  skip: boolean;
  /** Registers the suite's hooks (a cluster for all its tests, a database for each). */
  hooks(): void;
  /** The app on this test's store; a second call reopens the same store (a restart). */
  open(dirs: Dirs, options?: CaseOptions): Promise<CaseApp>;
  /** `new_data/` as a retrain reads it: the PostgreSQL store exports it first. */
  materialize(dirs: Dirs): Promise<void>;
  /** Only `new_data/review.jsonl` of it (an export of 10,000 PNGs costs 10,000 flushes). */
  materializeReview(dirs: Dirs): Promise<void>;
  /** Loads what a test wrote into `dirs.data` (new_data/ format) into the store, before `open`. */
  seed(dirs: Dirs, threshold: number): Promise<void>;
}

const NO_SCREEN: ScreenOptions = { quotaPerDay: 0, burstPerHour: 1_000_000 };

const fileCase: StoreCase = {
  kind: 'fs',
  name: 'fs',
  skip: false,
  hooks: () => undefined,
  open: (dirs, options = {}) =>
    makeApp(dirs, {
      ...options,
      adminToken: options.adminToken ?? null,
      screen: { ...NO_SCREEN, ...options.screen },
    }),
  materialize: async () => undefined,
  materializeReview: async () => undefined,
  // The file store reads the folder itself: the test writes it into new_data/.
  seed: async () => undefined,
};

function postgresCase(): StoreCase {
  const why = pgUnavailable();
  let cluster: PgCluster | undefined;
  let db = 0;
  let url = '';
  const withPool = async <T>(run: (pool: pg.Pool) => Promise<T>): Promise<T> => {
    const pool = new pg.Pool({ connectionString: url });
    try {
      return await run(pool);
    } finally {
      await pool.end();
    }
  };
  return {
    kind: 'postgres',
    name: pgSuite('postgres'),
    skip: why !== null,
    hooks() {
      beforeAll(() => {
        cluster = startCluster();
      });
      afterAll(() => cluster?.destroy());
      beforeEach(() => {
        url = cluster!.createDatabase(`shared_${++db}`);
      });
    },
    async open(dirs, options = {}) {
      const { screen, adminToken, ...rest } = options;
      return startReplica(url, dirs, {
        ...rest,
        screen: { ...NO_SCREEN, ...screen },
        ...(adminToken ? { adminToken } : {}),
      });
    },
    async materialize(dirs) {
      await withPool((pool) => exportNewData(pool, dirs.data));
    },
    async materializeReview(dirs) {
      await withPool((pool) => exportReviewDecisions(pool, dirs.data));
    },
    async seed(dirs, threshold) {
      // The store migrates on open; an import needs the tables first.
      const store = await startReplica(url, dirs, { threshold });
      await store.close();
      await withPool((pool) => importNewData(pool, dirs.data, threshold));
    },
  };
}

/** The file store and the PostgreSQL store, for `describe.each`. */
export function storeCases(): StoreCase[] {
  return [fileCase, postgresCase()];
}
