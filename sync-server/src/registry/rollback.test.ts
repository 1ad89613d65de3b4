import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDirs, V1, V2, writeTinyModel } from '../../test/helpers';
import { readHistoryLog } from './manifest-file';
import { rollback, RollbackError } from './rollback';

let dirs: ReturnType<typeof tempDirs>;
beforeEach(async () => {
  dirs = tempDirs([V1, V2]);
  await writeTinyModel(dirs.models, V1);
  await writeTinyModel(dirs.models, V2);
});
afterEach(() => dirs.cleanup());

const manifestText = () => readFile(join(dirs.models, 'manifest.json'), 'utf8');
const refusal = (version: string) =>
  rollback(dirs.models, version).then(
    () => null,
    (err: unknown) => (err instanceof RollbackError ? err.reason : err),
  );

describe('rollback', () => {
  it('loads the version, points current at it and records it', async () => {
    const { manifest } = await rollback(dirs.models, V2);
    expect(manifest.current).toBe(V2);
    expect(JSON.parse(await manifestText()).current).toBe(V2);
    expect(await readHistoryLog(dirs.models)).toMatchObject([
      { outcome: 'rolled-back', version: V2, parent: V1 },
    ]);
  });

  it('leaves the manifest untouched when the weights do not match model.json', async () => {
    const before = await manifestText();
    await writeFile(join(dirs.models, V2, 'weights.bin'), new Uint8Array(12));
    expect(await refusal(V2)).toBe('does-not-load');
    expect(await manifestText()).toBe(before);
  });

  it('refuses a version that is not kept, and changes nothing for the live one', async () => {
    const before = await manifestText();
    expect(await refusal('2020-01-01T00-00-00-000Z')).toBe('not-kept');
    await rollback(dirs.models, V1);
    expect(await manifestText()).toBe(before);
    expect(await readHistoryLog(dirs.models)).toEqual([]);
  });
});
