/** See bundle.mjs. */
export function ensureBundle(paths: {
  root: string;
  entry: string;
  outfile: string;
  also?: string[];
}): 'built' | 'reused';

/** See bundle.mjs: makes `dist/server.mjs` current and returns its URL. */
export function serverBundle(): string;
