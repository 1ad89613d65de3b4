import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/**
 * The anonymous id of this installation: one random UUID, sent with every answer as
 * `clientId` so the server can cap and review one source without knowing who it is. It lives
 * in a database of its own, apart from the outbox, so forgetting it never touches answers.
 */
export const CLIENT_DB_NAME = 'digit-loop-client';
const KEY = 'clientId';

interface ClientSchema extends DBSchema {
  client: { key: typeof KEY; value: string };
}
type ClientDb = IDBPDatabase<ClientSchema>;

const dbs = new Map<string, Promise<ClientDb>>();

function openClientDb(name: string): Promise<ClientDb> {
  let db = dbs.get(name);
  if (!db) {
    db = openDB<ClientSchema>(name, 1, {
      upgrade(d) {
        d.createObjectStore('client');
      },
    });
    dbs.set(name, db);
  }
  return db;
}

/**
 * This installation's id, made on first use. Read and create share one readwrite transaction,
 * so two tabs starting at once still agree on one id.
 */
export async function clientId(name = CLIENT_DB_NAME): Promise<string> {
  const tx = (await openClientDb(name)).transaction('client', 'readwrite');
  let id = await tx.store.get(KEY);
  if (!id) {
    id = crypto.randomUUID();
    await tx.store.put(id, KEY);
  }
  await tx.done;
  return id;
}

/** Replaces the id with a new random one ("Forget me"); later answers carry the new one. */
export async function renewClientId(name = CLIENT_DB_NAME): Promise<string> {
  const id = crypto.randomUUID();
  await (await openClientDb(name)).put('client', id, KEY);
  return id;
}

/** Deletes the id; the next answer makes a fresh one. */
export async function forgetClientId(name = CLIENT_DB_NAME): Promise<void> {
  await (await openClientDb(name)).delete('client', KEY);
}
