import { createHash } from 'node:crypto';

export interface ClientCapOptions {
  /** Share of the feedback one client may contribute, 0–1 (the `--max-client-share` flag). */
  maxShare: number;
  /** Answers one client may always contribute, whatever the share (`--max-client-answers`). */
  maxAnswers: number;
  /** Seeds which answers of a capped client are kept. */
  seed: number;
}

export interface ClientCapResult<T> {
  /** The samples kept, in their original order. */
  kept: T[];
  /** Most samples any one client keeps in this retrain. */
  cap: number;
  /** Samples left out because their client was over the cap. */
  capped: number;
  /** Clients that were over the cap. */
  cappedClients: number;
}

/**
 * The client a sample counts against: its `clientId`, else the sample alone. Samples without
 * a client id are the original system's data and older clients': nothing says which of them
 * came from one person, so each is its own client and none is capped here (the original data
 * must keep training). The server's per-address quota bounds such answers at ingest, and the
 * gate's per-digit floors bound what any answers can do to the model.
 */
export function clientKey(sample: { id: string; clientId?: string }): string {
  return sample.clientId === undefined ? `sample:${sample.id}` : `client:${sample.clientId}`;
}

/**
 * Caps each client's contribution to one retrain at the larger of `maxShare` of all samples
 * and `maxAnswers`. A person trying the app alone (a few dozen answers, fewer than
 * `maxAnswers`) keeps every answer even though they are all of the feedback; in a crowd, one
 * flooding client is held to its share. Which answers a capped client keeps is a ranking by a
 * seeded hash of each id: the same data and seed keep the same answers on every machine, and
 * answers added later never push out earlier ones that rank above them.
 */
export function capPerClient<T extends { id: string; clientId?: string }>(
  samples: readonly T[],
  options: ClientCapOptions,
): ClientCapResult<T> {
  const cap = Math.max(Math.floor(options.maxShare * samples.length), options.maxAnswers);
  const byClient = new Map<string, T[]>();
  for (const s of samples) {
    const key = clientKey(s);
    const list = byClient.get(key);
    if (list) list.push(s);
    else byClient.set(key, [s]);
  }
  const dropped = new Set<T>();
  let cappedClients = 0;
  for (const list of byClient.values()) {
    if (list.length <= cap) continue;
    cappedClients++;
    const ranked = list
      .map((s) => ({ s, rank: rank(options.seed, s.id) }))
      .sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : 0));
    for (const { s } of ranked.slice(cap)) dropped.add(s);
  }
  return {
    kept: samples.filter((s) => !dropped.has(s)),
    cap,
    capped: dropped.size,
    cappedClients,
  };
}

function rank(seed: number, id: string): string {
  return createHash('sha256').update(`${seed}:${id.toLowerCase()}`).digest('hex');
}
