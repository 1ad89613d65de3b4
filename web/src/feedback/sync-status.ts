/** Where the answers stand, as the header says it. */
export type SyncStatus =
  | { kind: 'sent' }
  | { kind: 'waiting' }
  | { kind: 'offline' }
  | { kind: 'unreachable'; why: string };

export interface SyncFacts {
  pending: number;
  /** The browser's own idea of the network; says nothing about our server. */
  online: boolean;
  /** Why the last sync run stopped early; null after a run that finished. */
  lastError: string | null;
}

/**
 * Offline wins (nothing can be sent), then a failed sync (the server is out of reach even if
 * the network is up: never "online" then), then answers still waiting, then all sent.
 */
export function syncStatus({ pending, online, lastError }: SyncFacts): SyncStatus {
  if (!online) return { kind: 'offline' };
  if (lastError !== null) return { kind: 'unreachable', why: whyUnreachable(lastError) };
  return pending > 0 ? { kind: 'waiting' } : { kind: 'sent' };
}

/** A sync error in plain words, the technical detail kept in brackets for a bug report. */
export function whyUnreachable(error: string): string {
  if (error.startsWith('network:')) {
    return `The server did not answer: it may be down or restarting (${error}).`;
  }
  const status = /^HTTP (\d{3})/.exec(error)?.[1];
  if (status === '429') return `The server is busy and asked us to wait (${error}).`;
  if (status?.startsWith('5')) return `The server had a problem (${error}).`;
  return `Sending failed (${error}).`;
}
