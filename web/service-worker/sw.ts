/// <reference lib="webworker" />
// The app's service worker (vite-plugin-pwa injectManifest): precached shell and wasm binaries,
// SPA navigations served offline, and Background Sync of the feedback outbox.
import { clientsClaim } from 'workbox-core';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  precacheAndRoute,
  type PrecacheEntry,
} from 'workbox-precaching';
import { registerRoute } from 'workbox-routing';
import { isAppRoute } from 'sync-server/contract';
import { openOutboxDb } from '../src/feedback/outbox-db';
import { SYNC_TAG, SYNCED_MESSAGE, syncOutbox } from '../src/feedback/sync';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

/** The Background Sync event (not yet in TypeScript's webworker lib). */
interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

// A new build takes over at once: the shell is static and the outbox schema migrates itself.
void self.skipWaiting();
clientsClaim();

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// A page navigation to a client route gets the shell, online or off; the server's own paths
// (API, models, probes) never do: the same rule as the server's SPA fallback.
registerRoute(
  ({ request, url }) => request.mode === 'navigate' && isAppRoute(url.pathname),
  createHandlerBoundToURL('index.html'),
);

/** Sends the outbox; throwing makes the browser retry the sync later with its own backoff. */
async function syncFromWorker(): Promise<void> {
  const report = await syncOutbox(await openOutboxDb());
  const clients = await self.clients.matchAll({ type: 'window' });
  for (const client of clients) client.postMessage({ type: SYNCED_MESSAGE, report });
  if (report.outcome === 'retry') throw new Error(`feedback sync: ${report.message}`);
}

self.addEventListener('sync', (event) => {
  const sync = event as SyncEvent;
  if (sync.tag === SYNC_TAG) sync.waitUntil(syncFromWorker());
});
