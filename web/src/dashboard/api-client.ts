import { hc } from 'hono/client';
import type { AppType } from 'sync-server/app-type';

/** The server's routes, typed from its own Hono app: paths and bodies are checked at build. */
export function apiClient() {
  return hc<AppType>(location.origin);
}
