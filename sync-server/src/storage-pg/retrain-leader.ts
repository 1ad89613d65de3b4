import type pg from 'pg';
import type { Logger } from '../log';
import { exportNewData } from './export';

export interface RetrainLeaderOptions {
  dataDir: string;
  log: Logger;
  onSealed: (indices: number[]) => void;
}

/**
 * The work of the replica holding the retrain lock: for every sealed subset not yet reported,
 * export `new_data/`, mark the subsets reported, then tell the driver. Runs one at a time.
 * A subset is marked on the session that holds the lock, so a replica that lost the lock
 * (and its session) can no longer mark it: the next leader reports it instead.
 */
export class RetrainLeader {
  private running: Promise<void> = Promise.resolve();
  private again = false;
  private busy = false;

  constructor(private readonly options: RetrainLeaderOptions) {}

  run(client: pg.Client): void {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    this.running = this.work(client).finally(() => (this.busy = false));
  }

  /** Resolves when no work runs. */
  idle(): Promise<void> {
    return this.running;
  }

  private async work(client: pg.Client): Promise<void> {
    do {
      this.again = false;
      try {
        await this.reportSeals(client);
      } catch (err) {
        this.options.log.warn('exporting sealed subsets failed; the next leader tick retries', {
          message: err instanceof Error ? err.message : String(err),
        });
        return;
      }
    } while (this.again);
  }

  private async reportSeals(client: pg.Client): Promise<void> {
    const pending = await client.query<{ subset_index: number }>(
      `SELECT subset_index FROM feedback_subsets
       WHERE sealed_at IS NOT NULL AND triggered_at IS NULL ORDER BY subset_index`,
    );
    if (pending.rows.length === 0) return;
    const indices = pending.rows.map((r) => r.subset_index);
    await exportNewData(client, this.options.dataDir);
    const marked = await client.query<{ subset_index: number }>(
      `UPDATE feedback_subsets SET triggered_at = now()
       WHERE subset_index = ANY($1::int[]) AND triggered_at IS NULL RETURNING subset_index`,
      [indices],
    );
    const reported = marked.rows.map((r) => r.subset_index).sort((a, b) => a - b);
    this.options.log.info('sealed subsets exported for the trainer', { subsets: reported });
    if (reported.length > 0) this.options.onSealed(reported);
  }
}
