import pg from 'pg';
import type { Logger } from '../log';
import { readState, stateNoticeSchema, type StateNotice } from './ingest';
import { clientConfig, RETRAIN_LOCK, STATE_CHANNEL, type PgTimeouts } from './pool';

export interface PgSessionOptions extends PgTimeouts {
  url: string;
  log: Logger;
  /** How often a lost connection is retried, a follower tries to lead, and the view is re-read. */
  tickMs: number;
  /** A commit of any replica (its notice), or the state re-read after a (re)connect. */
  onState: (notice: StateNotice) => void;
  /** This replica took the retrain lock, or was told of seals while holding it. */
  onLead: (client: pg.Client) => void;
}

/**
 * The replica's one long-lived connection: it LISTENs for the commits of every replica and
 * tries to hold the retrain advisory lock. The lock lives as long as this session, so when a
 * replica dies or loses the database another one takes the driver over at its next tick.
 * It reconnects by itself; notices missed meanwhile are made up by re-reading the state.
 */
export class PgSession {
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private timer: NodeJS.Timeout;
  private closed = false;
  leader = false;

  constructor(private readonly options: PgSessionOptions) {
    this.timer = setInterval(() => void this.tick(), options.tickMs);
    this.timer.unref();
  }

  /** Connects (or tries again later: the store works without the session for a while). */
  async start(): Promise<void> {
    await this.tick();
  }

  /** The leader's client while it leads (for the driver's work), else null. */
  leaderClient(): pg.Client | null {
    return this.leader ? this.client : null;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.connecting?.catch(() => undefined);
    const client = this.client;
    this.drop();
    // Ending the session releases the advisory lock for the next replica.
    await client?.end().catch(() => undefined);
  }

  private async tick(): Promise<void> {
    if (this.closed || this.connecting) return;
    this.connecting = (this.client ? this.refresh() : this.connect()).finally(
      () => (this.connecting = null),
    );
    await this.connecting;
  }

  private async connect(): Promise<void> {
    const { url, log } = this.options;
    const client = new pg.Client(clientConfig(url, this.options));
    client.on('error', (err) => {
      if (this.client !== client) return;
      log.warn('database session lost; reconnecting', { message: err.message });
      this.drop();
    });
    client.on('notification', (msg) => {
      if (msg.channel !== STATE_CHANNEL || !msg.payload) return;
      const notice = parseNotice(msg.payload);
      if (notice) this.options.onState(notice);
      else log.warn('ignored a malformed state notice', { channel: msg.channel });
      if (this.leader) this.options.onLead(client);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${STATE_CHANNEL}`);
      this.client = client;
    } catch (err) {
      await client.end().catch(() => undefined);
      log.debug('database session not connected', { message: (err as Error).message });
      return;
    }
    await this.refresh();
  }

  // Re-reads the state (a notice may have been missed) and tries to lead.
  private async refresh(): Promise<void> {
    const client = this.client;
    if (!client) return;
    try {
      this.options.onState({ ...(await readState(client)), sealed: [] });
      if (!this.leader) {
        const lock = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [
          RETRAIN_LOCK,
        ]);
        this.leader = lock.rows[0]!.ok;
        if (this.leader) this.options.log.info('this replica holds the retrain driver');
      }
      if (this.leader) this.options.onLead(client);
    } catch (err) {
      // A session that cannot answer is replaced: ending it also frees the lock for another.
      this.options.log.debug('database session query failed', { message: (err as Error).message });
      if (this.client === client) this.drop();
    }
  }

  private drop(): void {
    if (this.leader) this.options.log.warn('this replica no longer holds the retrain driver');
    this.leader = false;
    const client = this.client;
    this.client = null;
    client?.end().catch(() => undefined);
  }
}

function parseNotice(payload: string): StateNotice | null {
  try {
    const r = stateNoticeSchema.safeParse(JSON.parse(payload));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
