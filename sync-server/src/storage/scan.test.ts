import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { capturingLogger, tempDirs } from '../../test/helpers';
import { isTempFileName, openIndexFor, tempPathFor } from '../registry';
import { CorruptDataError, QUARANTINE_DIR, scanDataDir } from './scan';

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
const readJson = (...p: string[]) => JSON.parse(readFileSync(join(...p), 'utf8'));

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

  it('moves a PNG its metadata.json does not name (a crashed commit) aside, never deletes it', async () => {
    const dir = subset(0, [entry('3_1_aaaaaaaa.png', uuid(1))], ['4_2_bbbbbbbb.png']);
    const { log, lines } = capturingLogger();
    const state = await scanDataDir(dirs.data, 10, log);
    expect(readdirSync(dir).sort()).toEqual(['3_1_aaaaaaaa.png', 'metadata.json']);
    const aside = readdirSync(join(dirs.data, QUARANTINE_DIR, 'sub_set_0'));
    expect(aside.map((n) => n.replace(/\.\d+$/, ''))).toEqual(['4_2_bbbbbbbb.png']);
    expect(readJson(dir, 'metadata.json')).toHaveLength(1);
    expect([state.total, state.ids.size]).toEqual([1, 1]);
    expect(
      lines()
        .filter((l) => l.level === 'warn')
        .map((l) => l.msg),
    ).toEqual(['moved aside a PNG no commit acknowledged, or a non-file with a PNG name']);
  });

  it('moves aside the PNGs of a crashed first commit into a subset the record says is empty', async () => {
    subset(
      0,
      Array.from({ length: 3 }, (_, i) => entry(`1_${i}_0000000${i}.png`, uuid(i))),
    );
    writeFileSync(
      join(dirs.data, 'count.json'),
      JSON.stringify({ current_count: 0, sub_set_count: 1 }),
    );
    const dir = join(dirs.data, 'sub_set_1');
    mkdirSync(dir);
    writeFileSync(join(dir, '5_9_cccccccc.png'), 'png');
    const state = await scanDataDir(dirs.data, 3, silentLogger);
    expect(existsSync(join(dir, 'metadata.json'))).toBe(false);
    expect(readdirSync(join(dirs.data, QUARANTINE_DIR, 'sub_set_1'))).toHaveLength(1);
    expect(state.total).toBe(3);
  });

  it('rebuilds a subset whose metadata.json is missing instead of emptying it', async () => {
    const dir = join(dirs.data, 'sub_set_0');
    mkdirSync(dir);
    const names = ['5_1_cccccccc.png', '7_3_dddddddd.png', '2_1700000000000.png'];
    for (const name of names) writeFileSync(join(dir, name), 'png');
    const state = await scanDataDir(dirs.data, 3, silentLogger);
    expect(readdirSync(dir).sort()).toEqual([...names, 'metadata.json'].sort());
    const meta = readJson(dir, 'metadata.json') as { filename: string; true_label: number }[];
    expect(meta.map((e) => [e.filename, e.true_label])).toEqual([
      ['2_1700000000000.png', 2],
      ['5_1_cccccccc.png', 5],
      ['7_3_dddddddd.png', 7],
    ]);
    // The rebuilt subset holds the threshold, so it is sealed like any full one.
    expect([state.total, state.openIndex]).toEqual([3, 1]);
    // A second start finds nothing left to repair.
    const again = capturingLogger();
    await scanDataDir(dirs.data, 3, again.log);
    expect(again.lines().filter((l) => l.level !== 'debug' && l.level !== 'info')).toEqual([]);
  });

  it('removes only its own temp files and leaves anything else alone', async () => {
    const dir = subset(
      0,
      [entry('3_1_aaaaaaaa.png', uuid(1))],
      ['.metadata.json.1234abcd.tmp', 'notes.tmp', 'README.txt', 'scan.png'],
    );
    writeFileSync(join(dirs.data, '.count.json.deadbeef.tmp'), '{}');
    writeFileSync(join(dirs.data, '.count.json.99.tmp'), '{}');
    writeFileSync(join(dirs.data, 'export.tmp'), 'someone else');
    mkdirSync(join(dirs.data, 'x.tmp'));
    mkdirSync(join(dirs.data, '.cache.0123abcd.tmp'));
    mkdirSync(join(dir, 'photos.tmp'));
    await scanDataDir(dirs.data, 10, silentLogger);
    expect(readdirSync(dir).sort()).toEqual(
      [
        '3_1_aaaaaaaa.png',
        'README.txt',
        'metadata.json',
        'notes.tmp',
        'photos.tmp',
        'scan.png',
      ].sort(),
    );
    expect(readdirSync(dirs.data).sort()).toEqual(
      [
        '.cache.0123abcd.tmp',
        '.count.json.99.tmp',
        'count.json',
        'export.tmp',
        'sub_set_0',
        'x.tmp',
      ].sort(),
    );
  });

  it('recognizes exactly the temp names durable-fs writes', () => {
    expect(isTempFileName(basename(tempPathFor(join(dirs.data, 'count.json'))))).toBe(true);
    expect(
      isTempFileName(basename(tempPathFor(join(dirs.data, 'sub_set_0', 'metadata.json')))),
    ).toBe(true);
    for (const name of ['x.tmp', '.x.tmp', '.count.json.99.tmp', 'count.json.deadbeef.tmp'])
      expect(isTempFileName(name)).toBe(false);
  });

  it('moves a folder bearing a PNG name into .quarantine, where it blocks no write', async () => {
    const dir = subset(0, [entry('3_1_aaaaaaaa.png', uuid(1))]);
    mkdirSync(join(dir, '4_2_bbbbbbbb.png'));
    writeFileSync(join(dir, '4_2_bbbbbbbb.png', 'inside'), 'kept');
    const state = await scanDataDir(dirs.data, 10, silentLogger);
    expect(readdirSync(dir).sort()).toEqual(['3_1_aaaaaaaa.png', 'metadata.json']);
    const moved = readdirSync(join(dirs.data, QUARANTINE_DIR, 'sub_set_0'));
    expect(moved).toHaveLength(1);
    expect(
      readFileSync(join(dirs.data, QUARANTINE_DIR, 'sub_set_0', moved[0]!, 'inside'), 'utf8'),
    ).toBe('kept');
    expect(state.total).toBe(1);
  });

  it('indexes ids stored in upper case (before ids were canonical) in lower case', async () => {
    subset(0, [entry('3_1_abcdef01.png', 'ABCDEF01-0000-4000-8000-000000000001')]);
    const state = await scanDataDir(dirs.data, 10, silentLogger);
    expect([...state.ids]).toEqual(['abcdef01-0000-4000-8000-000000000001']);
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

  it('reads a metadata.json of any size whole, and a small one after it alone', async () => {
    const many = Array.from({ length: 1500 }, (_, i) => entry(`${i % 10}_${i}.png`));
    subset(0, many);
    subset(1, [entry('4_9_abcdef02.png', uuid(2))]);
    expect(readFileSync(join(dirs.data, 'sub_set_0', 'metadata.json')).length).toBeGreaterThan(
      64 * 1024,
    );
    const state = await scanDataDir(dirs.data, 10, silentLogger);
    expect(state.subsets.get(0)!.entries).toEqual(many);
    expect(state.subsets.get(1)!.entries.map((e) => e.filename)).toEqual(['4_9_abcdef02.png']);
  });

  it('refuses to guess when a metadata.json is corrupt, in one line that says what to do', async () => {
    const dir = subset(0, []);
    writeFileSync(join(dir, 'metadata.json'), '[{"filename": ');
    await expect(scanDataDir(dirs.data, 10, silentLogger)).rejects.toThrow(CorruptDataError);
    const err = await scanDataDir(dirs.data, 10, silentLogger).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/metadata\.json is not JSON.*move it aside/);
    expect((err as Error).message).not.toContain('\n');
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
  it('drops a lost entry and moves an unlisted PNG aside in one repair', async () => {
    const dir = subset(0, []);
    writeFileSync(join(dir, 'metadata.json'), JSON.stringify([entry('1_1_aaaaaaaa.png', uuid(1))]));
    writeFileSync(join(dir, '2_2_bbbbbbbb.png'), 'png');
    const state = await scanDataDir(dirs.data, 10, silentLogger);
    expect(readJson(dir, 'metadata.json')).toEqual([]);
    expect(state.subsets.get(0)?.entries).toEqual([]);
    expect(readdirSync(join(dirs.data, QUARANTINE_DIR, 'sub_set_0'))).toHaveLength(1);
  });

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
