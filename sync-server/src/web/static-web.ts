import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import type { MiddlewareHandler } from 'hono';
import { isAppRoute, isServerPath } from '../contract';
import type { Logger } from '../log';

const IMMUTABLE = 'public, max-age=31536000, immutable';

// `.well-known` is the one dot-folder meant to be public (RFC 8615).
const PUBLIC_DOT_SEGMENT = '.well-known';

/**
 * Whether the path names a dotfile or goes through a dot-folder (`.env`, `.git/config`),
 * encoded or not: those are never part of a build, so whatever sits there is not served.
 */
function hidesDotfile(path: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    return true;
  }
  return decoded
    .split(/[/\\]/)
    .some((segment) => segment.startsWith('.') && segment !== PUBLIC_DOT_SEGMENT);
}

/**
 * Cache and type headers by file: hashed assets forever, entry points always revalidated.
 * A precompressed answer varies by Accept-Encoding (serveStatic says so); a plain one too, so
 * no cache hands a compressed copy to a client that cannot read it.
 */
function withHeaders(path: string, res: Response): Response {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (!res.headers.get('Vary')?.includes('Accept-Encoding'))
    res.headers.append('Vary', 'Accept-Encoding');
  if (path.startsWith('/assets/')) {
    res.headers.set('Cache-Control', IMMUTABLE);
  } else {
    // index.html, sw.js, registerSW.js, workbox-*.js, icons: a new deploy must show at once.
    res.headers.set('Cache-Control', 'no-cache');
    if (name.endsWith('.webmanifest')) res.headers.set('Content-Type', 'application/manifest+json');
  }
  return res;
}

/**
 * Serves the built web app from `dist` (GET/HEAD), falling back to index.html for client-side
 * routes (`isAppRoute`, shared with the service worker). Without a build it logs once and serves
 * nothing, so the API still runs.
 */
export function staticWeb(dist: string, log: Logger): MiddlewareHandler | null {
  if (!existsSync(join(dist, 'index.html'))) {
    log.warn('web app not built; serving the API only', { webDist: dist });
    return null;
  }
  // The build writes `.br` and `.gz` beside each text file (web/scripts/precompress.mjs).
  const files = serveStatic({ root: dist, precompressed: true });
  const index = serveStatic({ root: dist, path: 'index.html', precompressed: true });
  const none = async () => undefined;
  return async (c, next) => {
    // Server-owned paths and dotfiles are never answered with a web file or index.html.
    if (isServerPath(c.req.path) || hidesDotfile(c.req.path)) return next();
    const file = await files(c, none);
    if (file) return withHeaders(c.req.path, file);
    if (!isAppRoute(c.req.path)) return next();
    const page = await index(c, none);
    return page ? withHeaders('/index.html', page) : next();
  };
}
