import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openIndexFor, openSubsetIndex } from './seal';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'registry-seal-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const sizes = (...pairs: [number, number][]) => new Map(pairs);

describe('openIndexFor', () => {
  it('keeps a recorded seal whatever the threshold', () => {
    expect(openIndexFor(sizes([0, 10]), 20, 1)).toBe(1);
    expect(openIndexFor(sizes([0, 10], [1, 4]), 20, 1)).toBe(1);
    // The record never reopens, and never holds back a seal the count makes.
    expect(openIndexFor(sizes([0, 10], [1, 20]), 20, 1)).toBe(2);
    expect(openIndexFor(sizes(), 10, 5)).toBe(5);
  });

  it('seals by the count where there is no record', () => {
    expect(openIndexFor(sizes([0, 10]), 20)).toBe(0);
    expect(openIndexFor(sizes([0, 10]), 10)).toBe(1);
    expect(openIndexFor(sizes([0, 3], [1, 2]), 10)).toBe(1);
  });
});

describe('openSubsetIndex', () => {
  it('reads the record from count.json, and ignores one that does not parse', async () => {
    const count = (body: string) => writeFile(join(dir, 'count.json'), body);
    await count(JSON.stringify({ current_count: 0, sub_set_count: 1 }));
    expect(await openSubsetIndex(dir, sizes([0, 10]), 20)).toBe(1);
    await count('garbage');
    expect(await openSubsetIndex(dir, sizes([0, 10]), 20)).toBe(0);
  });

  it('reads the original system’s folder as five sealed subsets', async () => {
    const original = join(import.meta.dirname, '../../test/fixtures/original-new_data');
    const filled = sizes([0, 9], [1, 10], [2, 10], [3, 10], [4, 10]);
    expect(await openSubsetIndex(original, filled, 10)).toBe(5);
    expect(await openSubsetIndex(original, filled, 50)).toBe(5);
  });
});
