import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_THRESHOLD, parseEnv, resolveAgainst } from './contract';
import { REPO_ROOT } from './paths';

// The one place the server reads process.env; everything else gets the parsed config.

export { REPO_ROOT } from './paths';

const DRIVERS = ['local', 'github', 'none'] as const;
const STORES = ['fs', 'postgres'] as const;
const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
/** Failed admin authentications per address per minute before 429. */
export const DEFAULT_ADMIN_AUTH_FAILURES_PER_MIN = 10;
// DATABASE_URL may carry a password: never echoed, even when bad.
const SECRETS = new Set(['ADMIN_TOKEN', 'METRICS_TOKEN', 'GITHUB_TOKEN', 'DATABASE_URL']);

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number ${min}-${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be ${min}-${max}`).max(max, `must be ${min}-${max}`));

// A bearer token: no whitespace, since `Authorization: Bearer <token>` could never carry it.
const token = z
  .string()
  .min(8, 'must be at least 8 characters')
  .regex(/^\S+$/, 'must not contain whitespace (a bearer token never could)');

const envSchema = z.object({
  PORT: int(0, 65535).default(8787),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1).default('new_data'),
  MODELS_DIR: z.string().trim().min(1).default('models'),
  WEB_DIST: z.string().trim().min(1).optional(),
  RETRAIN_THRESHOLD: int(1, 1_000_000).default(DEFAULT_THRESHOLD),
  RETRAIN_DRIVER: z.enum(DRIVERS).default('local'),
  STORE: z.enum(STORES).default('fs'),
  DATABASE_URL: z
    .string()
    .trim()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string')
    .optional(),
  DATABASE_TIMEOUT_S: int(1, 600).default(5),
  ADMIN_TOKEN: token.optional(),
  ADMIN_AUTH_FAILURES_PER_MIN: int(1, 1_000_000).default(DEFAULT_ADMIN_AUTH_FAILURES_PER_MIN),
  ADMIN_AUDIT_LOG: z.string().trim().min(1).optional(),
  METRICS_TOKEN: token.optional(),
  RATE_LIMIT_PER_MIN: int(0, 1_000_000).default(600),
  CLIENT_QUOTA_PER_DAY: int(0, 1_000_000).default(500),
  BURST_PER_HOUR: int(1, 1_000_000).default(60),
  HEADERS_TIMEOUT_S: int(1, 3600).default(10),
  BODY_TIMEOUT_S: int(1, 3600).default(30),
  REQUEST_TIMEOUT_S: int(1, 3600).default(60),
  KEEP_ALIVE_TIMEOUT_S: int(1, 3600).default(5),
  MAX_BODIES: int(1, 1_000_000).default(128),
  MAX_BODIES_PER_CLIENT: int(1, 1_000_000).default(16),
  CORS_ORIGINS: z.string().default(''),
  LOG_LEVEL: z.enum(LEVELS).default('info'),
  GITHUB_API_URL: z.url().default('https://api.github.com'),
  GITHUB_REPOSITORY: z
    .string()
    .regex(/^[\w.-]+\/[\w.-]+$/, 'must look like owner/repo')
    .optional(),
  GITHUB_TOKEN: z.string().min(1).optional(),
  // A branch name, or the `refs/heads/<branch>` form GitHub itself uses.
  GITHUB_REF: z
    .string()
    .trim()
    .transform((s) => s.replace(/^refs\/heads\//, ''))
    .pipe(z.string().regex(/^[\w./-]+$/, 'must be a branch name like main'))
    .default('main'),
  GIT_REMOTE: z
    .string()
    .trim()
    .regex(/^[\w.-]+$/, 'must be a git remote name like origin')
    .default('origin'),
  PULL_INTERVAL_S: int(0, 86_400).default(600),
  SHUTDOWN_TIMEOUT_S: int(1, 3_600).default(10),
  INIT_CWD: z.string().min(1).optional(),
});

export type RetrainDriverName = (typeof DRIVERS)[number];
export type StoreName = (typeof STORES)[number];
export type LogLevel = (typeof LEVELS)[number];

export interface ServerConfig {
  port: number;
  host: string;
  /** Absolute `new_data/`. */
  dataDir: string;
  /** Absolute `models/`. */
  modelsDir: string;
  /** Absolute built web app (`web/dist`); it may not exist. */
  webDist: string;
  threshold: number;
  driver: RetrainDriverName;
  /** Where feedback is stored: `new_data/` of this process, or PostgreSQL shared by replicas. */
  store: StoreName;
  database: {
    /** DATABASE_URL (null unless STORE=postgres); never logged. */
    url: string | null;
    /** Connecting and each statement; a request waits at most about twice this. */
    timeoutMs: number;
  };
  /** Admin routes answer 403 to everyone when null. */
  adminToken: string | null;
  /** Failed admin authentications per address per minute before 429. */
  adminAuthFailuresPerMin: number;
  /** Absolute path of the append-only admin audit log (JSON lines). */
  adminAuditLog: string;
  /** Bearer token `/metrics` requires; null = open. */
  metricsToken: string | null;
  /** Feedback requests per client per minute; 0 = no limit. */
  rateLimitPerMin: number;
  /** Answers one client may send per UTC day (over: rejected with `quota`); 0 = no quota. */
  clientQuotaPerDay: number;
  /** A client's answers beyond this many in an hour are flagged `burst`. */
  burstPerHour: number;
  limits: ServerLimitsConfig;
  /** Exact origins allowed to call the API cross-origin (same-origin needs none). */
  corsOrigins: string[];
  logLevel: LogLevel;
  /** On SIGTERM, how long requests in flight may take before their connections are cut. */
  shutdownTimeoutMs: number;
  github: {
    apiUrl: string;
    repository: string | null;
    token: string | null;
    /** The branch subsets are pushed to, the workflow runs on and models are pulled from. */
    branch: string;
    /** The git remote (name) standing for the GitHub repository. */
    remote: string;
    /** Seconds between pulls of models/; 0 = never. */
    pullIntervalS: number;
  };
  repoRoot: string;
}

/** Timeouts and caps that bound what slow or stalled clients can hold (README, "Limits"). */
export interface ServerLimitsConfig {
  /** Whole request head must arrive within this. */
  headersTimeoutMs: number;
  /** A request body must arrive within this, counted from the request's start (408). */
  bodyTimeoutMs: number;
  /** Whole request must arrive within this; the socket is cut (backstop for the 408). */
  requestTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Request bodies being received at once, over all clients (503 beyond). */
  maxBodies: number;
  /** Request bodies being received at once from one address (429 beyond). */
  maxBodiesPerClient: number;
}

/** Thrown for a bad variable; its message is the one line to print. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  // Blank values count as unset, so `ADMIN_TOKEN=` in a shell does not mean a blank token.
  // A secret is never echoed, even a bad one: the line ends up in logs.
  const parsed = parseEnv(envSchema, env, SECRETS);
  if (!parsed.ok) throw new ConfigError(parsed.message);
  const e = parsed.value;
  for (const name of ['GITHUB_REPOSITORY', 'GITHUB_TOKEN'] as const) {
    if (e.RETRAIN_DRIVER === 'github' && !e[name])
      throw new ConfigError(`missing environment variable ${name}: RETRAIN_DRIVER=github needs it`);
  }
  if (e.STORE === 'postgres' && !e.DATABASE_URL)
    throw new ConfigError('missing environment variable DATABASE_URL: STORE=postgres needs it');
  const baseDir = e.INIT_CWD ?? process.cwd();
  const modelsDir = resolveAgainst(baseDir, e.MODELS_DIR);
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolveAgainst(baseDir, e.DATA_DIR),
    modelsDir,
    webDist: e.WEB_DIST ? resolveAgainst(baseDir, e.WEB_DIST) : resolve(REPO_ROOT, 'web/dist'),
    threshold: e.RETRAIN_THRESHOLD,
    driver: e.RETRAIN_DRIVER,
    store: e.STORE,
    database: {
      url: e.STORE === 'postgres' ? (e.DATABASE_URL ?? null) : null,
      timeoutMs: e.DATABASE_TIMEOUT_S * 1000,
    },
    adminToken: e.ADMIN_TOKEN ?? null,
    adminAuthFailuresPerMin: e.ADMIN_AUTH_FAILURES_PER_MIN,
    // Beside models/, not in it: models/ is published (and pushed by the github driver).
    adminAuditLog: e.ADMIN_AUDIT_LOG
      ? resolveAgainst(baseDir, e.ADMIN_AUDIT_LOG)
      : join(dirname(modelsDir), 'admin-audit.jsonl'),
    metricsToken: e.METRICS_TOKEN ?? null,
    rateLimitPerMin: e.RATE_LIMIT_PER_MIN,
    clientQuotaPerDay: e.CLIENT_QUOTA_PER_DAY,
    burstPerHour: e.BURST_PER_HOUR,
    limits: limitsOf(e),
    corsOrigins: parseOrigins(e.CORS_ORIGINS),
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_S * 1000,
    github: {
      apiUrl: e.GITHUB_API_URL,
      repository: e.GITHUB_REPOSITORY ?? null,
      token: e.GITHUB_TOKEN ?? null,
      branch: e.GITHUB_REF,
      remote: e.GIT_REMOTE,
      pullIntervalS: e.PULL_INTERVAL_S,
    },
    repoRoot: REPO_ROOT,
  };
}

function limitsOf(e: z.infer<typeof envSchema>): ServerLimitsConfig {
  // The 408 must go out before Node cuts the socket, and the head is part of the request.
  for (const name of ['HEADERS_TIMEOUT_S', 'BODY_TIMEOUT_S'] as const) {
    if (e[name] >= e.REQUEST_TIMEOUT_S)
      throw new ConfigError(
        `bad environment variable ${name}: must be below REQUEST_TIMEOUT_S (${e.REQUEST_TIMEOUT_S}), got ${e[name]}`,
      );
  }
  return {
    headersTimeoutMs: e.HEADERS_TIMEOUT_S * 1000,
    bodyTimeoutMs: e.BODY_TIMEOUT_S * 1000,
    requestTimeoutMs: e.REQUEST_TIMEOUT_S * 1000,
    keepAliveTimeoutMs: e.KEEP_ALIVE_TIMEOUT_S * 1000,
    maxBodies: e.MAX_BODIES,
    maxBodiesPerClient: e.MAX_BODIES_PER_CLIENT,
  };
}

// Comma-separated exact origins; each must be a bare origin (scheme://host[:port]).
function parseOrigins(list: string): string[] {
  const origins = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const o of origins) {
    if (!isOrigin(o)) {
      throw new ConfigError(`bad environment variable CORS_ORIGINS: ${o} is not an origin`);
    }
  }
  return origins;
}

function isOrigin(s: string): boolean {
  try {
    return new URL(s).origin === s;
  } catch {
    return false;
  }
}
