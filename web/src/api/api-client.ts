import { hc } from 'hono/client';
import type { AppType } from 'sync-server/app-type';

export interface ApiClientOptions {
  /** The server's origin; by default the one the page or service worker came from. */
  baseUrl?: string;
  /** Injected by tests, so they need no network. */
  fetch?: typeof fetch;
}

/**
 * The server's routes, typed from its own Hono app (`hc<AppType>`): paths, request bodies and
 * answers are checked at build time. The one way the web app (page and service worker) calls
 * the API.
 */
export function apiClient(options: ApiClientOptions = {}) {
  // `/` makes every request path-relative, so it goes to whatever origin served the app.
  return hc<AppType>(options.baseUrl ?? '/', options.fetch ? { fetch: options.fetch } : {});
}
