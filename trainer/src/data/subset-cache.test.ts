import { readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tiny-model';
import { writeNewData } from '../../test/helpers/write-new-data';
import { cachePath } from './subset-cache';
import { indexNewData, loadSamples, readNewData } from './subsets';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

// Two sealed subsets of three digits each, and an open one with one.
async function writeDigits(labels: number[], tag = 'cache') {
  const images = new Uint8Array(labels.length * 784);
  labels.forEach((label, i) => images.fill(255, i * 784 + 100 + label * 20, i * 784 + 400));
  await writeNewData(
    dir,
    { images, labels: Uint8Array.from(labels), count: labels.length },
    {
      perSubset: 3,
      tag,
    },
  );
}

const cached = async () => (await readdir(join(dir, '.cache')).catch(() => [])).sort();

describe('the per-subset cache', () => {
  it('is written for sealed subsets only, and serves the same pixels as the PNGs', async () => {
    await writeDigits([1, 2, 3, 4, 5, 6, 7]);
    const fromPngs = await readNewData(dir, { threshold: 3 });
    await indexNewData(dir, { threshold: 3 });
    expect(await cached()).toEqual(['sub_set_0.bin', 'sub_set_1.bin']);
    // With the PNGs gone, sealed subsets still read, from the cache alone.
    for (const s of [0, 1]) {
      for (const f of await readdir(join(dir, `sub_set_${s}`))) {
        if (f.endsWith('.png')) await writeFile(join(dir, `sub_set_${s}`, f), 'gone');
      }
    }
    // Overwriting PNGs in place leaves the folder's mtime alone: the cache is still fresh.
    const index = await indexNewData(dir, { threshold: 3 });
    const answers = index.filter((s) => s.sealed).flatMap((s) => s.answers);
    const samples = await loadSamples(dir, answers);
    const expected = fromPngs.filter((s) => s.sealed).flatMap((s) => s.samples);
    expect(samples).toEqual(expected);
  });

  it('is rebuilt when its subset changed (stale)', async () => {
    await writeDigits([1, 2, 3, 4]);
    await indexNewData(dir, { threshold: 3 });
    const before = await readFile(cachePath(dir, 0));
    // The subset's metadata was rewritten with other labels (same files, new content).
    const meta = join(dir, 'sub_set_0', 'metadata.json');
    const entries = JSON.parse(await readFile(meta, 'utf8')) as { true_label: number }[];
    entries.forEach((e) => (e.true_label = 9));
    await writeFile(meta, JSON.stringify(entries));
    await utimes(meta, new Date(), new Date(Date.now() + 5000));
    const [subset] = await indexNewData(dir, { threshold: 3 });
    expect(subset?.answers.map((a) => a.label)).toEqual([9, 9, 9]);
    expect(await readFile(cachePath(dir, 0))).not.toEqual(before);
  });

  it('is never trusted when corrupt: a flipped byte or a torn file reads the PNGs again', async () => {
    await writeDigits([1, 2, 3, 4]);
    const truth = (await readNewData(dir, { threshold: 3 }))[0]!.samples;
    await indexNewData(dir, { threshold: 3 });
    const file = await readFile(cachePath(dir, 0));
    const flipped = Buffer.from(file);
    // A pixel byte: the shape still parses, only the checksum can tell.
    const at = flipped.length - 5;
    flipped[at] = flipped[at]! ^ 0xff;
    await writeFile(cachePath(dir, 0), flipped);
    expect((await readNewData(dir, { threshold: 3 }))[0]!.samples).toEqual(truth);
    // indexNewData replaces the corrupt file with a good one.
    await indexNewData(dir, { threshold: 3 });
    expect(await readFile(cachePath(dir, 0))).toEqual(file);
    await writeFile(cachePath(dir, 0), file.subarray(0, file.length - 100));
    expect((await readNewData(dir, { threshold: 3 }))[0]!.samples).toEqual(truth);
  });
});
