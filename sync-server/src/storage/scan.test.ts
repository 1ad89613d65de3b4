import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { tempDirs } from '../../test/helpers';
import { openIndexFor } from '../registry';
import { CorruptDataError, scanDataDir } from './scan';

let dirs: ReturnType<typeof tempDirs>;
beforeEach(() => (dirs = tempDirs([])));
afterEach(() => dirs.cleanup());

const entry = (filename: string, id?: string) => ({
  filename,
  true_label: Number(filename[0]),
  created_at: 1,
  source: 'web_feedback',
  ...(id ? { id } : {}),
});
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function subset(index: number, entries: ReturnType<typeof entry>[], extraFiles: string[] = []) {
  const dir = join(dirs.data, `sub_set_${index}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'metadata.json'), JSON.stringify(entries));
  for (const e of entries) writeFileSync(join(dir, e.filename), 'png');
  for (const f of extraFiles) writeFileSync(join(dir, f), 'x');
  return dir;
}

describe('openIndexFor', () => {
  it.each([
    [[], 0],
    [[[0, 3]], 0],
    [[[0, 10]], 1],
    [
      [
        [0, 10],
        [1, 0],
      ],
      1,
    ],
    [
      [
        [0, 4],
        [1, 2],
      ],
      1,
    ],
    [[[0, 12]], 1],
    [[[3, 10]], 4],
  ] as [number[][], number][])('%j -> %i', (sizes, want) => {
    expect(openIndexFor(new Map(sizes as [number, number][]), 10)).toBe(want);
  });
});

describe('scanDataDir', () => {
  it('rebuilds count.json and the id index from metadata.json files', async () => {
    subset(
      0,
      Array.from({ length: 10 }, (_, i) => entry(`1_${i}_0000000${i}.png`, uuid(i))),
    );
    subset(1, [entry('2_5_aaaaaaaa.png', uuid(99))]);
    writeFileSync(join(dirs.data, 'count.json'), '{"current_count": 7, "sub_set_count": 0}');
    const state = await scanDataDir(dirs.data, 10, silentLogger);
    expect([state.openIndex, state.total, state.ids.size]).toEqual([1, 11, 11]);
    expect(JSON.parse(readFileSync(join(dirs.data, 'count.json'), 'utf8'))).toEqual({
      current_count: 1,
      sub_set_count: 1,
    });
  });

  it('deletes PNGs no metadata.json names (never acknowledged) and temp leftovers', async () => {
    const dir = subset(
      0,
      [entry('3_1_aaaaaaaa.png', uuid(1))],
      ['4_2_bbbbbbbb.png', '.metadata.json.1234abcd.tmp'],
    );
    writeFileSync(join(dirs.data, '.count.json.99.tmp'), '{}');
    const state = await scanDataDir(dirs.data, 10, silentLogger);
    expect(readdirSync(dir).sort()).toEqual(['3_1_aaaaaaaa.png', 'metadata.json']);
    expect(readdirSync(dirs.data).sort()).toEqual(['count.json', 'sub_set_0']);
    expect(state.total).toBe(1);
  });

  it('treats a subset folder without metadata.json as empty and removes its PNGs', async () => {
    const dir = join(dirs.data, 'sub_set_0');
    mkdirSync(dir);
    writeFileSync(join(dir, '5_1_cccccccc.png'), 'png');
    const state = await scanDataDir(dirs.data, 10, silentLogger);
    expect([state.openIndex, state.total, readdirSync(dir)]).toEqual([0, 0, []]);
  });

  it('keeps an entry whose PNG is missing (seen in the original data) and counts it', async () => {
    const dir = subset(0, [entry('6_1_dddddddd.png')]);
    writeFileSync(
      join(dir, 'metadata.json'),
      JSON.stringify([entry('6_1_dddddddd.png'), entry('7_2.png')]),
    );
    const state = await scanDataDir(dirs.data, 10, silentLogger);
    expect(state.total).toBe(2);
  });

  it('refuses to guess when a metadata.json is corrupt', async () => {
    const dir = subset(0, []);
    writeFileSync(join(dir, 'metadata.json'), '[{"filename": ');
    await expect(scanDataDir(dirs.data, 10, silentLogger)).rejects.toThrow(CorruptDataError);
    writeFileSync(join(dir, 'metadata.json'), '[{"filename": "../x.png"}]');
    await expect(scanDataDir(dirs.data, 10, silentLogger)).rejects.toThrow(/filename/);
  });

  it('creates new_data/ when it does not exist', async () => {
    const state = await scanDataDir(join(dirs.root, 'fresh'), 10, silentLogger);
    expect(state.openIndex).toBe(0);
    expect(readdirSync(join(dirs.root, 'fresh'))).toEqual(['count.json']);
  });
});

describe('scanDataDir after a power loss mid-commit', () => {
  it('drops our entries whose PNG never reached the disk, so their resend is stored', async () => {
    const dir = subset(0, [entry('1_1_aaaaaaaa.png', uuid(1))]);
    writeFileSync(
      join(dir, 'metadata.json'),
      JSON.stringify([entry('1_1_aaaaaaaa.png', uuid(1)), entry('2_2_bbbbbbbb.png', uuid(2))]),
    );
    const state = await scanDataDir(dirs.data, 10, silentLogger);
    expect([...state.ids]).toEqual([uuid(1)]);
    const meta = JSON.parse(readFileSync(join(dir, 'metadata.json'), 'utf8'));
    expect(meta.map((e: { filename: string }) => e.filename)).toEqual(['1_1_aaaaaaaa.png']);
  });
});
