/**
 * Paths the server owns: its API (docs included), the model files and the probes. Everything
 * else that looks like a page is the web app's: the server's SPA fallback and the service
 * worker both answer it with the app shell (index.html), so this one list decides for both.
 */
export const SERVER_PATHS = ['/api', '/models', '/metrics', '/healthz', '/readyz'] as const;

/** True for a server-owned path: one of `SERVER_PATHS` or anything below it. */
export function isServerPath(pathname: string): boolean {
  return SERVER_PATHS.some((p) => pathname === p || pathname.startsWith(`${p}/`));
}

/**
 * True for a client-side route: not server-owned, and no file extension in its last segment
 * (a missing `/x.js` must stay a 404, never become index.html).
 */
export function isAppRoute(pathname: string): boolean {
  if (isServerPath(pathname)) return false;
  return !pathname.slice(pathname.lastIndexOf('/') + 1).includes('.');
}
