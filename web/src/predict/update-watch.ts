import type { Manifest } from 'sync-server/contract';

export interface UpdateWatchOptions {
  /** The live manifest from the server; throws when it is out of reach. */
  fetchManifest: () => Promise<Manifest>;
  /** The version in use (null before the first load). */
  inUse: () => string | null;
  /** Told the newer live version, or null once the one in use is live. */
  onNewer: (version: string | null) => void;
  /** Checks this often; also when the network comes back and when the page shows again. */
  intervalMs: number;
  /** Where `online` fires (the window); injected by tests. */
  window?: Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;
  /** Where `visibilitychange` fires, and whether the page is visible. */
  document?: Pick<Document, 'addEventListener' | 'removeEventListener' | 'visibilityState'>;
}

/**
 * Notices when the server went live with a model newer than the one in use. Offline or with
 * the server down nothing changes: the model in use stays and there is nothing to tell.
 */
export async function checkForUpdate(options: UpdateWatchOptions): Promise<void> {
  try {
    const { current } = await options.fetchManifest();
    options.onNewer(current !== options.inUse() ? current : null);
  } catch {
    // Out of reach: try again on the next trigger.
  }
}

/** Checks on an interval, on `online` and on becoming visible; returns a stop function. */
export function watchForUpdates(options: UpdateWatchOptions): () => void {
  const win = options.window ?? globalThis;
  const doc = options.document ?? document;
  const check = () => void checkForUpdate(options);
  const onVisible = () => {
    if (doc.visibilityState === 'visible') check();
  };
  const timer = setInterval(check, options.intervalMs);
  win.addEventListener('online', check);
  doc.addEventListener('visibilitychange', onVisible);
  return () => {
    clearInterval(timer);
    win.removeEventListener('online', check);
    doc.removeEventListener('visibilitychange', onVisible);
  };
}
