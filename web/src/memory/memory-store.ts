import {
  addEntry,
  allEntries,
  clearEntries,
  openMemoryDb,
  removeEntry,
  type MemoryDb,
} from './memory-db';
import type { MemoryStore } from './personal-memory';

/** The personal memory kept in IndexedDB; the database opens on first use. */
export function indexedDbStore(name?: string): MemoryStore {
  let db: Promise<MemoryDb> | null = null;
  const open = () => (db ??= openMemoryDb(name));
  return {
    add: async (entry) => addEntry(await open(), entry),
    remove: async (answerId) => removeEntry(await open(), answerId),
    all: async () => allEntries(await open()),
    clear: async () => clearEntries(await open()),
  };
}
