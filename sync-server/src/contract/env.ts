import type { z } from 'zod';

// How the server and the trainer read their environment: one rule for both. Pure (the caller
// passes the environment in), so it stays importable by the browser with the rest of the
// contract.

/** An environment as `process.env` gives it. */
export type EnvSource = Readonly<Record<string, string | undefined>>;

export type EnvParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * The set variables of `env`. A blank value (empty or only spaces) counts as unset, so
 * `ADMIN_TOKEN=` in a shell or an empty CI variable means "use the default", never "empty".
 */
export function envValues(env: EnvSource): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== '') out[name] = value;
  }
  return out;
}

/**
 * Parses `env` (blanks dropped, see `envValues`) with `schema`. On a bad value the message is
 * one line naming the first bad variable, what it must be and what it was:
 * `bad environment variable PORT: must be a whole number 0-65535, got "abc"`.
 */
export function parseEnv<S extends z.ZodType>(
  schema: S,
  env: EnvSource,
  /** Variables whose bad value is named but never echoed (tokens end up in logs otherwise). */
  secrets: ReadonlySet<string> = new Set(),
): EnvParseResult<z.output<S>> {
  const values = envValues(env);
  const parsed = schema.safeParse(values);
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? 'environment');
  const got =
    values[name] === undefined || secrets.has(name) ? '' : `, got ${JSON.stringify(values[name])}`;
  return { ok: false, message: `bad environment variable ${name}: ${issue?.message}${got}` };
}

/**
 * A user-given path (from the environment or a flag): absolute as is, relative against
 * `baseDir` (an absolute folder), normalized like Node's `path.posix.resolve`. Written without
 * `node:path` so the contract stays free of Node imports.
 */
export function resolveAgainst(baseDir: string, path: string): string {
  const joined = path.startsWith('/') ? path : `${baseDir}/${path}`;
  const parts: string[] = [];
  for (const part of joined.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') parts.pop();
    else parts.push(part);
  }
  return `/${parts.join('/')}`;
}
