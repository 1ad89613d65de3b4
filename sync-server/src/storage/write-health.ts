import { join } from 'node:path';
import type { Logger } from '../log';
import { tempPathFor } from '../registry';
import { fsErrorCode, type StoreFs } from './store-fs';

/** Whether the store can write, for `GET /readyz`. */
export type WriteHealth = { ok: true } | { ok: false; reason: string; since?: string };

// Name of the probe file, under the server's own temp pattern so a crash mid-probe leaves
// nothing the start-up scan would not remove.
const PROBE_NAME = 'readyz-probe';

/**
 * Tracks whether writes to `new_data/` work. A failed commit marks it failing (one warn
 * line when that starts, not one per request); a successful commit or probe clears it.
 */
export class WriteHealthTracker {
  private failure: { reason: string; since: string } | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly fs: StoreFs,
    private readonly log: Logger,
  ) {}

  current(): WriteHealth {
    return this.failure ? { ok: false, ...this.failure } : { ok: true };
  }

  failed(err: unknown): void {
    const code = fsErrorCode(err) ?? 'error';
    // The reason is served by /readyz: the code only, never a path of the server's disk.
    const reason = `writes to the data folder fail (${code})`;
    if (this.failure?.reason !== reason)
      this.log.warn('store writes fail; answering 503 until one works', {
        code,
        message: err instanceof Error ? err.message : String(err),
      });
    this.failure = { reason, since: this.failure?.since ?? new Date().toISOString() };
  }

  succeeded(): void {
    if (!this.failure) return;
    this.log.info('store writes work again', { since: this.failure.since });
    this.failure = null;
  }

  /**
   * While failing, tries one small durable write, so readiness recovers once the disk does
   * even when no client writes. Healthy answers come from the last commit, without a write.
   */
  async probe(): Promise<WriteHealth> {
    if (!this.failure) return this.current();
    const path = tempPathFor(join(this.dataDir, PROBE_NAME));
    try {
      await this.fs.writeFileSynced(path, 'ok\n');
      this.succeeded();
    } catch (err) {
      this.failed(err);
    } finally {
      await this.fs.unlink(path).catch(() => undefined);
    }
    return this.current();
  }
}
