import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDirs } from '../../test/helpers';
import { createLogger } from '../log';
import { ManifestStore } from './manifest-store';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((f) => f()));

function storeWithLog(models: string) {
  const lines: { level: string; msg: string }[] = [];
  const log = createLogger({ level: 'debug', write: (l) => lines.push(JSON.parse(l)) });
  const store = new ManifestStore({ modelsDir: models, log, pollMs: 60_000 });
  cleanups.push(() => store.close());
  return { store, warnings: () => lines.filter((l) => l.level === 'warn').map((l) => l.msg) };
}

describe('ManifestStore with an invalid manifest.json', () => {
  it('says at start that no model is served, since there is no last good one', async () => {
    const dirs = tempDirs([]);
    cleanups.push(dirs.cleanup);
    writeFileSync(join(dirs.models, 'manifest.json'), '{ garbage');
    const { store, warnings } = storeWithLog(dirs.models);
    await store.start();
    expect(store.current()).toBeNull();
    expect(warnings()).toEqual([
      'manifest.json invalid; no model is served until a valid manifest.json appears',
    ]);
  });

  it('keeps serving the last good one when a later file is invalid', async () => {
    const dirs = tempDirs();
    cleanups.push(dirs.cleanup);
    const { store, warnings } = storeWithLog(dirs.models);
    await store.start();
    const good = store.current();
    expect(good).not.toBeNull();
    writeFileSync(join(dirs.models, 'manifest.json'), '{ garbage');
    await store.reload();
    expect(store.current()).toBe(good);
    // The folder watcher may read the new file too: each read says the same.
    expect(new Set(warnings())).toEqual(
      new Set(['manifest.json invalid; serving the last good one']),
    );
  });
});
