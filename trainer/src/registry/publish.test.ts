import * as tf from '@tensorflow/tfjs';
import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { manifestSchema } from 'sync-server/contract';
import { tempDir, tinyModel, useCpu } from '../../test/helpers/tiny-model';
import { readManifest } from 'sync-server/registry';
import { loadVersion, publishVersion, recordAttempt } from './index';
import type { PublishOptions } from './publish';

let dir: string;
let cleanup: () => Promise<void>;
let clock = Date.parse('2026-11-26T12:00:00.000Z');

beforeAll(useCpu);
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

function options(model: tf.LayersModel, parent: string | null = null): PublishOptions {
  clock += 60_000;
  const at = clock;
  return {
    modelsDir: dir,
    model,
    parent,
    trainedOn: { subsets: [0], samples: 10 },
    metrics: { mnistTestAccuracy: 0.9, holdoutAccuracy: null },
    training: { kind: 'retrain', epochs: 1, seed: 1, backend: 'cpu', durationMs: 5 },
    startedAt: new Date(at - 1000),
    now: () => new Date(at),
  };
}

describe('publishVersion', () => {
  it('writes the folder, a valid manifest naming it, and a published history entry', async () => {
    const model = tinyModel();
    const entry = await publishVersion({ ...options(model), reason: 'base' });
    const manifest = await readManifest(dir);
    expect(manifest?.current).toBe(entry.version);
    expect(manifest?.history).toMatchObject([
      { outcome: 'published', version: entry.version, reason: 'base' },
    ]);
    expect(entry.modelUrl).toBe(`/models/${entry.version}/model.json`);
    const files = ['model.json', 'weights.bin'].map((f) => join(dir, entry.version, f));
    const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
    expect(sizes[1]).toBe((49 * 10 + 10) * 4);
    expect(entry.bytes).toBe(sizes[0]! + sizes[1]!);
    expect((await readdir(dir)).sort()).toEqual([entry.version, 'history.jsonl', 'manifest.json']);
    model.dispose();
  });

  it('round-trips the weights exactly through loadVersion', async () => {
    const model = tinyModel(7);
    const { version } = await publishVersion(options(model));
    const loaded = await loadVersion(dir, version);
    const x = tf.randomUniform([3, 28, 28, 1], 0, 1, 'float32', 3);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('keeps the live version plus the three newest others, on disk and in the manifest', async () => {
    const model = tinyModel();
    const published: string[] = [];
    for (let i = 0; i < 6; i++) {
      published.push((await publishVersion(options(model, published.at(-1) ?? null))).version);
    }
    const manifest = await readManifest(dir);
    const kept = published.slice(2);
    expect(manifest?.versions.map((v) => v.version)).toEqual(kept);
    expect(manifest?.current).toBe(published[5]);
    expect(manifest?.history).toHaveLength(6);
    const files = ['manifest.json', 'history.jsonl'];
    expect((await readdir(dir)).filter((n) => !files.includes(n)).sort()).toEqual(kept);
    model.dispose();
  });

  it('never prunes the live version after a rollback to an old one', async () => {
    const model = tinyModel();
    const v: string[] = [];
    for (let i = 0; i < 4; i++) v.push((await publishVersion(options(model))).version);
    const manifest = (await readManifest(dir))!;
    await writeFile(join(dir, 'manifest.json'), JSON.stringify({ ...manifest, current: v[0] }));
    const newest = await publishVersion(options(model));
    const after = (await readManifest(dir))!;
    expect(after.versions.map((x) => x.version)).toEqual([v[1], v[2], v[3], newest.version]);
    model.dispose();
  });

  it('leaves the manifest and folder untouched when saving fails', async () => {
    const model = tinyModel();
    const first = await publishVersion(options(model));
    const before = await readFile(join(dir, 'manifest.json'), 'utf8');
    const broken = tinyModel();
    broken.save = () => Promise.reject(new Error('disk full'));
    await expect(publishVersion(options(broken))).rejects.toThrow('disk full');
    expect(await readFile(join(dir, 'manifest.json'), 'utf8')).toBe(before);
    expect((await readdir(dir)).sort()).toEqual([first.version, 'history.jsonl', 'manifest.json']);
    model.dispose();
    broken.dispose();
  });

  it('clears orphans of a crashed run and temp folders of dead processes', async () => {
    const model = tinyModel();
    await publishVersion(options(model));
    const orphan = '2026-01-01T00-00-00-000Z';
    await mkdir(join(dir, orphan));
    await mkdir(join(dir, '.tmp-2026-01-02T00-00-00-000Z-999999999'));
    const second = await publishVersion(options(model));
    const names = await readdir(dir);
    expect(names).not.toContain(orphan);
    expect(names.some((n) => n.startsWith('.tmp-'))).toBe(false);
    expect(names).toContain(second.version);
    model.dispose();
  });

  it('lets a reader see a whole model whenever it reads the manifest mid-publish', async () => {
    const model = tinyModel();
    await publishVersion(options(model));
    let publishing = true;
    const reader = (async () => {
      let reads = 0;
      while (publishing) {
        const m = manifestSchema.parse(
          JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')),
        );
        const json = JSON.parse(await readFile(join(dir, m.current, 'model.json'), 'utf8'));
        expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
        reads++;
      }
      return reads;
    })();
    for (let i = 0; i < 5; i++) await publishVersion(options(model));
    publishing = false;
    expect(await reader).toBeGreaterThan(0);
    model.dispose();
  });
});

describe('recordAttempt', () => {
  it('appends a rejected attempt with its reason and metrics', async () => {
    const model = tinyModel();
    const { version } = await publishVersion(options(model));
    const ok = await recordAttempt({
      modelsDir: dir,
      outcome: 'rejected',
      startedAt: new Date(),
      reason: 'holdout fell',
      parent: version,
      metrics: { holdoutAccuracy: 0.5 },
    });
    expect(ok).toBe(true);
    const manifest = await readManifest(dir);
    expect(manifest?.current).toBe(version);
    expect(manifest?.history.at(-1)).toMatchObject({
      outcome: 'rejected',
      reason: 'holdout fell',
      metrics: { holdoutAccuracy: 0.5 },
    });
    model.dispose();
  });

  it('returns false when there is no manifest yet', async () => {
    const ok = await recordAttempt({
      modelsDir: dir,
      outcome: 'failed',
      startedAt: new Date(),
      reason: 'no live model',
    });
    expect(ok).toBe(false);
  });
});
