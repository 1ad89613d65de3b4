import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEFAULT_THRESHOLD, parseEnv, resolveAgainst } from './contract';

// The one place the server reads process.env (STYLE rule 5).

/** The repository root: the workspace that holds `sync-server/`, `trainer/` and `web/`. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

const DRIVERS = ['local', 'github', 'none'] as const;
const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number ${min}-${max}`)
    .transform(Number)
    .pipe(z.number().min(min, `must be ${min}-${max}`).max(max, `must be ${min}-${max}`));

const envSchema = z.object({
  PORT: int(0, 65535).default(8787),
  HOST: z.string().trim().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().trim().min(1).default('new_data'),
  MODELS_DIR: z.string().trim().min(1).default('models'),
  WEB_DIST: z.string().trim().min(1).optional(),
  RETRAIN_THRESHOLD: int(1, 1_000_000).default(DEFAULT_THRESHOLD),
  RETRAIN_DRIVER: z.enum(DRIVERS).default('local'),
  ADMIN_TOKEN: z.string().min(8, 'must be at least 8 characters').optional(),
  RATE_LIMIT_PER_MIN: int(0, 1_000_000).default(600),
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
  INIT_CWD: z.string().min(1).optional(),
});

export type RetrainDriverName = (typeof DRIVERS)[number];
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
  /** Admin routes answer 403 to everyone when null. */
  adminToken: string | null;
  /** Feedback requests per client per minute; 0 = no limit. */
  rateLimitPerMin: number;
  /** Exact origins allowed to call the API cross-origin (same-origin needs none). */
  corsOrigins: string[];
  logLevel: LogLevel;
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

/** Thrown for a bad variable; its message is the one line to print. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment once; a bad value throws a ConfigError naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  // Blank values count as unset, so `ADMIN_TOKEN=` in a shell does not mean a blank token.
  const parsed = parseEnv(envSchema, env);
  if (!parsed.ok) throw new ConfigError(parsed.message);
  const e = parsed.value;
  for (const name of ['GITHUB_REPOSITORY', 'GITHUB_TOKEN'] as const) {
    if (e.RETRAIN_DRIVER === 'github' && !e[name])
      throw new ConfigError(`missing environment variable ${name}: RETRAIN_DRIVER=github needs it`);
  }
  const baseDir = e.INIT_CWD ?? process.cwd();
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolveAgainst(baseDir, e.DATA_DIR),
    modelsDir: resolveAgainst(baseDir, e.MODELS_DIR),
    webDist: e.WEB_DIST ? resolveAgainst(baseDir, e.WEB_DIST) : resolve(REPO_ROOT, 'web/dist'),
    threshold: e.RETRAIN_THRESHOLD,
    driver: e.RETRAIN_DRIVER,
    adminToken: e.ADMIN_TOKEN ?? null,
    rateLimitPerMin: e.RATE_LIMIT_PER_MIN,
    corsOrigins: parseOrigins(e.CORS_ORIGINS),
    logLevel: e.LOG_LEVEL,
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
