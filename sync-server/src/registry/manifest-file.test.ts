import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MANIFEST_HISTORY_LIMIT, modelUrl, type HistoryEntry, type Manifest } from '../contract';
import { parseManifest, readHistoryLog, readManifest, writeManifest } from './manifest-file';

const V1 = '2026-11-26T12-00-00-000Z';
let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'registry-manifest-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const manifest: Manifest = {
  schemaVersion: 1,
  current: V1,
  versions: [
    {
      version: V1,
      modelUrl: modelUrl(V1),
      createdAt: '2026-11-26T12:00:00.000Z',
      parent: null,
      trainedOn: { subsets: [], samples: 0 },
      metrics: { mnistTestAccuracy: 0.9 },
      bytes: 1,
    },
  ],
  history: [],
};
const attempt = (n: number): HistoryEntry => ({
  startedAt: new Date(Date.UTC(2026, 10, 26, 12, 0, n)).toISOString(),
  finishedAt: new Date(Date.UTC(2026, 10, 26, 12, 0, n)).toISOString(),
  outcome: 'rejected',
  reason: `attempt ${n}`,
});

describe('manifest file', () => {
  it('round-trips a valid manifest and reads none as null', async () => {
    expect(await readManifest(dir)).toBeNull();
    await writeManifest(dir, manifest);
    expect(await readManifest(dir)).toEqual(manifest);
  });

  it('refuses to write or read one that breaks the contract', async () => {
    await expect(writeManifest(dir, { ...manifest, current: 'nope' })).rejects.toThrow();
    await writeFile(join(dir, 'manifest.json'), '{"schemaVersion": 1');
    await expect(readManifest(dir)).rejects.toThrow(/breaks the contract at not JSON/);
    expect(parseManifest(JSON.stringify({ ...manifest, versions: [] }))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^versions/),
    });
  });

  it(`keeps the newest ${MANIFEST_HISTORY_LIMIT} attempts in the manifest and all in history.jsonl`, async () => {
    let m = manifest;
    const total = MANIFEST_HISTORY_LIMIT + 5;
    for (let n = 0; n < total; n++) m = await writeManifest(dir, m, attempt(n));
    const read = await readManifest(dir);
    expect(read?.history).toHaveLength(MANIFEST_HISTORY_LIMIT);
    expect(read?.history[0]?.reason).toBe('attempt 5');
    expect(read?.history.at(-1)?.reason).toBe(`attempt ${total - 1}`);
    const log = await readHistoryLog(dir);
    expect(log.map((h) => h.reason)).toEqual(
      Array.from({ length: total }, (_, n) => `attempt ${n}`),
    );
  });

  it('ignores a torn last line of history.jsonl, and names a bad line elsewhere', async () => {
    await writeManifest(dir, manifest, attempt(1));
    const path = join(dir, 'history.jsonl');
    await appendFile(path, '{"startedAt": "2026-');
    expect(await readHistoryLog(dir)).toHaveLength(1);
    await writeFile(path, `{"bad": true}\n${await readFile(path, 'utf8')}`);
    await expect(readHistoryLog(dir)).rejects.toThrow(/history\.jsonl:1:/);
  });
});
