import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from '../log';

const IMMUTABLE = 'public, max-age=31536000, immutable';
// Server-owned paths: never answered with a web file or the SPA's index.html.
const RESERVED = /^\/(api|models)(\/|$)|^\/(metrics|healthz)$/;

/** Cache and type headers by file: hashed assets forever, entry points always revalidated. */
function setHeaders(path: string, c: Context): void {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (path.includes('/assets/')) {
    c.header('Cache-Control', IMMUTABLE);
  } else if (name.endsWith('.webmanifest')) {
    c.header('Content-Type', 'application/manifest+json');
    c.header('Cache-Control', 'no-cache');
  } else {
    // index.html, sw.js, registerSW.js, workbox-*.js, icons: a new deploy must show at once.
    c.header('Cache-Control', 'no-cache');
  }
}

/**
 * Serves the built web app from `dist` (GET/HEAD), falling back to index.html for paths
 * without a file extension (client-side routes). Without a build it logs once and serves
 * nothing, so the API still runs.
 */
export function staticWeb(dist: string, log: Logger): MiddlewareHandler | null {
  if (!existsSync(join(dist, 'index.html'))) {
    log.warn('web app not built; serving the API only', { webDist: dist });
    return null;
  }
  const files = serveStatic({ root: dist, onFound: setHeaders });
  const index = serveStatic({ root: dist, path: 'index.html', onFound: setHeaders });
  const none = async () => undefined;
  return async (c, next) => {
    if (RESERVED.test(c.req.path)) return next();
    const file = await files(c, none);
    if (file) return file;
    const last = c.req.path.slice(c.req.path.lastIndexOf('/') + 1);
    if (last.includes('.')) return next();
    return (await index(c, none)) ?? next();
  };
}
