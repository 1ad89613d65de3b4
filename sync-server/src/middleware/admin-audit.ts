import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Logger } from '../log';
import { appendLineSynced } from '../registry';

declare module 'hono' {
  interface ContextVariableMap {
    /** What an admin handler acted on, for its audit entry. */
    auditDetails: Record<string, unknown>;
  }
}

/** One line of the admin audit log (JSON lines, append-only). */
export interface AuditEntry {
  /** ISO time the request came in. */
  at: string;
  /** Peer address of the connection. */
  address: string;
  /** Method and path, e.g. `POST /api/admin/rollback`. */
  action: string;
  /** The status answered: 2xx done, 401/403 refused, 4xx/5xx failed. */
  status: number;
  requestId?: string;
  /** What the action was about, e.g. the version rolled back to. */
  details?: Record<string, unknown>;
}

/** Appends entries durably, one after another; null writes nothing (tests without a file). */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
}

/**
 * The audit log at `path`: each entry is appended as one line and fsynced before the
 * returned promise settles, and appends are serialized, so lines never interleave. A
 * failed write is logged at error and never fails the admin request it records.
 */
export function createAuditLog(path: string | null, log: Logger): AuditLog {
  let queue: Promise<void> = Promise.resolve();
  const write = async (line: string) => {
    if (path === null) return;
    await mkdir(dirname(path), { recursive: true });
    await appendLineSynced(path, line);
  };
  return {
    append(entry) {
      const line = JSON.stringify(entry);
      queue = queue
        .then(() => write(line))
        .catch((err: unknown) => log.error('cannot write the admin audit log', { err, path }));
      return queue;
    },
  };
}
