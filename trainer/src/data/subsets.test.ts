import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { centreOfMass, pngFileName, toMnist } from 'sync-server/contract';
import { tempDir } from '../../test/helpers/tiny-model';
import { writeNewData } from '../../test/helpers/write-new-data';
import { readNewData } from './subsets';

// The one committed copy of the original system's folder lives with the server's tests.
const ORIGINAL = fileURLToPath(
  new URL('../../../sync-server/test/fixtures/original-new_data', import.meta.url),
);

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await tempDir()));
afterEach(() => cleanup());

// A 28×28 gray PNG: a filled rectangle of ink 255 on black (or inverted).
function pngOf(rect: { x0: number; y0: number; x1: number; y1: number }, darkOnLight = false) {
  const png = new PNG({ width: 28, height: 28 });
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const ink = x >= rect.x0 && x < rect.x1 && y >= rect.y0 && y < rect.y1;
      const v = ink !== darkOnLight ? 255 : 0;
      png.data.set([v, v, v, 255], (y * 28 + x) * 4);
    }
  }
  return PNG.sync.write(png);
}

async function writeSubset(index: number, labels: number[], extra: object = {}) {
  const sub = join(dir, `sub_set_${index}`);
  await mkdir(sub, { recursive: true });
  const entries = [];
  for (const [i, label] of labels.entries()) {
    const id = randomUUID();
    const filename = pngFileName(label, 1_760_000_000_000 + i, id);
    await writeFile(join(sub, filename), pngOf({ x0: 2, y0: 2, x1: 26, y1: 26 }, i % 2 === 1));
    entries.push({
      filename,
      true_label: label,
      created_at: 1,
      source: 'web_feedback',
      id,
      ...extra,
    });
  }
  await writeFile(join(sub, 'metadata.json'), JSON.stringify(entries));
  return entries;
}

describe('readNewData on the original system folder', () => {
  it('reads all five sealed subsets, every image in MNIST format', async () => {
    const subsets = await readNewData(ORIGINAL, { threshold: 10 });
    expect(subsets.map((s) => [s.index, s.sealed, s.samples.length])).toEqual([
      [0, true, 9],
      [1, true, 10],
      [2, true, 10],
      [3, true, 10],
      [4, true, 10],
    ]);
    expect(subsets[0]?.skipped).toEqual(['6_1758156253839.png: PNG missing']);
    for (const sample of subsets.flatMap((s) => s.samples)) {
      expect(sample.id).toBe(`${sample.label}_${sample.createdAt}.png`);
      expect(sample.pixels).toHaveLength(784);
      expect(Math.max(...sample.pixels)).toBe(255);
      const c = centreOfMass(sample.pixels);
      expect(Math.abs(c.x - 14) + Math.abs(c.y - 14)).toBeLessThan(2);
    }
  });
});

describe('readNewData on this system format', () => {
  it('uses the metadata id, and normalizes an original-system image through toMnist', async () => {
    const entries = await writeSubset(0, [3, 7], {
      source: 'streamlit_feedback',
      predicted_label: 1,
      confidence: 0.4,
    });
    const [subset] = await readNewData(dir, { threshold: 10 });
    expect(subset?.samples.map((s) => [s.id, s.label])).toEqual([
      [entries[0]?.id, 3],
      [entries[1]?.id, 7],
    ]);
    // The 24-px square (dark-on-light for the second) is fitted into MNIST's 20-px box.
    for (const s of subset!.samples) {
      const rows = [...Array(28).keys()].filter((y) =>
        s.pixels.slice(y * 28, y * 28 + 28).some((v) => v > 0),
      );
      expect(rows.length).toBe(20);
    }
  });

  it("reads the app's answers as stored: toMnist is not run twice", async () => {
    // A digit as the browser may send it: 28×28, ink 255, but 16 px tall, so a second pass
    // of toMnist (which fits the ink to 20 px) would change it.
    const sent = new Uint8Array(28 * 28);
    for (let y = 6; y < 22; y++)
      for (let x = 12; x < 16; x++) sent[y * 28 + x] = x === 12 ? 128 : 255;
    expect(toMnist(sent, 28, 28)).not.toEqual(sent);
    const set = { images: sent, labels: Uint8Array.of(1), count: 1 };
    await writeNewData(dir, set, { perSubset: 1, tag: 'as-sent' });
    const [subset] = await readNewData(dir, { threshold: 1 });
    expect(subset?.samples[0]?.source).toBe('web_feedback');
    expect(subset?.samples[0]?.pixels).toEqual(sent);
  });

  it('seals by count.json, or by size when count.json lags, or by a later subset', async () => {
    await writeSubset(0, [1, 2, 3]);
    await writeSubset(1, [1, 2, 3, 4]);
    await writeSubset(2, [5, 6]);
    await writeFile(
      join(dir, 'count.json'),
      JSON.stringify({ current_count: 4, sub_set_count: 1 }),
    );
    let subsets = await readNewData(dir, { threshold: 4 });
    expect(subsets.map((s) => s.sealed)).toEqual([true, true, false]);
    await writeFile(join(dir, 'count.json'), 'garbage');
    subsets = await readNewData(dir, { threshold: 10 });
    expect(subsets.map((s) => s.sealed)).toEqual([true, true, false]);
  });

  it('keeps a subset sealed at 10 sealed after the threshold is raised to 20', async () => {
    await writeSubset(0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // The server's commit that filled subset 0 recorded the seal in count.json.
    await writeFile(
      join(dir, 'count.json'),
      JSON.stringify({ current_count: 0, sub_set_count: 1 }),
    );
    expect((await readNewData(dir, { threshold: 20 })).map((s) => s.sealed)).toEqual([true]);
    // Without the record the count decides, with the threshold of the day.
    await rm(join(dir, 'count.json'));
    expect((await readNewData(dir, { threshold: 20 })).map((s) => s.sealed)).toEqual([false]);
  });

  it('keeps unlisted PNGs by their file name and skips what cannot be used', async () => {
    await writeSubset(0, [4]);
    const sub = join(dir, 'sub_set_0');
    await writeFile(
      join(sub, '9_1760000000500_abcdef01.png'),
      pngOf({ x0: 8, y0: 4, x1: 12, y1: 24 }),
    );
    await writeFile(
      join(sub, '8_1760000000600_abcdef02.png'),
      pngOf({ x0: 0, y0: 0, x1: 0, y1: 0 }),
    );
    await writeFile(join(sub, '5_1760000000700_abcdef03.png'), 'not a png');
    await writeFile(join(sub, 'notes.png'), pngOf({ x0: 8, y0: 4, x1: 12, y1: 24 }));
    const [subset] = await readNewData(dir, { threshold: 10 });
    expect(subset?.samples.map((s) => [s.label, s.id.slice(0, 2)])).toContainEqual([9, '9_']);
    expect(subset?.samples).toHaveLength(2);
    expect(subset?.skipped).toHaveLength(3);
    expect(subset?.skipped.join('\n')).toMatch(/8_.*no ink/);
  });

  it('reads a missing folder as no subsets', async () => {
    expect(await readNewData(join(dir, 'absent'), { threshold: 10 })).toEqual([]);
  });
});
