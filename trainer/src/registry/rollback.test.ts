import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tempDir, tinyModel, useCpu } from '../../test/helpers/tiny-model';
import { readHistoryLog, readManifest, rollback } from 'sync-server/registry';
import { listVersions, loadVersion, publishVersion } from './index';

let dir: string;
let cleanup: () => Promise<void>;
const versions: string[] = [];

beforeAll(useCpu);
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  versions.length = 0;
  const model = tinyModel();
  for (let i = 0; i < 3; i++) {
    const entry = await publishVersion({
      modelsDir: dir,
      model,
      parent: versions.at(-1) ?? null,
      trainedOn: { subsets: [], samples: 0 },
      metrics: { mnistTestAccuracy: 0.5 + i / 10 },
      training: { kind: 'base', epochs: 1, seed: 1, backend: 'cpu', durationMs: 1 },
      startedAt: new Date(),
    });
    versions.push(entry.version);
  }
  model.dispose();
});
afterEach(() => cleanup());

describe('rollback', () => {
  it('points current at a kept version that loads, and records it in the history', async () => {
    const { entry } = await rollback(dir, versions[0]!);
    expect(entry.metrics.mnistTestAccuracy).toBeCloseTo(0.5);
    const manifest = await readManifest(dir);
    expect(manifest?.current).toBe(versions[0]);
    const rolledBack = { outcome: 'rolled-back', version: versions[0], parent: versions[2] };
    expect(manifest?.history.at(-1)).toMatchObject(rolledBack);
    expect((await readHistoryLog(dir)).map((h) => h.outcome)).toEqual([
      'published',
      'published',
      'published',
      'rolled-back',
    ]);
    const listed = await listVersions(dir);
    expect(listed.map((v) => [v.version, v.live, v.onDisk])).toEqual([
      [versions[0], true, true],
      [versions[1], false, true],
      [versions[2], false, true],
    ]);
  });

  it('leaves current alone when the version is not kept', async () => {
    await expect(rollback(dir, '2020-01-01T00-00-00-000Z')).rejects.toThrow(/not kept/);
    expect((await readManifest(dir))?.current).toBe(versions[2]);
  });

  it('names a version whose folder is gone', async () => {
    await rm(join(dir, versions[1]!), { recursive: true });
    await expect(loadVersion(dir, versions[1]!)).rejects.toThrow(/is not on disk/);
    await expect(rollback(dir, versions[1]!)).rejects.toThrow(/is not on disk/);
    expect((await readManifest(dir))?.current).toBe(versions[2]);
  });

  it('leaves current alone when the version folder does not load', async () => {
    const before = await readFile(join(dir, 'manifest.json'), 'utf8');
    await writeFile(join(dir, versions[1]!, 'weights.bin'), new Uint8Array(12));
    await expect(rollback(dir, versions[1]!)).rejects.toThrow();
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(before);
  });
});
