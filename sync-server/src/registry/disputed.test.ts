import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DISPUTED_FILE, heldBackEntrySchema, type HeldBackEntry } from '../contract';
import { appendHeldBack, readHeldBack } from './disputed';
import { readJsonLinesFrom } from './jsonl';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'registry-disputed-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const ID = (n: number) => `6f1c2f0e-4a53-4c1e-9a47-${String(n).padStart(12, '0')}`;
const entry = (n: number): HeldBackEntry => ({
  id: ID(n),
  flag: 'disputed',
  at: '2026-11-30T00:00:00.000Z',
  model: 'v1',
});

describe('held-back answers (new_data/disputed.jsonl)', () => {
  it('appends only ids not there yet, in lower case, and reads them back', async () => {
    expect(await readHeldBack(dir)).toEqual([]);
    expect(await appendHeldBack(dir, [entry(1), entry(2), entry(1)])).toEqual([entry(1), entry(2)]);
    const upper = { ...entry(2), id: ID(2).toUpperCase() };
    expect(await appendHeldBack(dir, [upper, entry(3)])).toEqual([entry(3)]);
    expect(await readHeldBack(dir)).toEqual([entry(1), entry(2), entry(3)]);
  });

  it('cuts a torn last line before appending, so no middle line is ever unreadable', async () => {
    await appendHeldBack(dir, [entry(1)]);
    await appendFile(join(dir, DISPUTED_FILE), '{"id": "6f1c2f0e-4a53');
    expect(await readHeldBack(dir)).toEqual([entry(1)]);
    const torn: number[] = [];
    await appendHeldBack(dir, [entry(2)], (bytes) => torn.push(bytes));
    expect(torn).toEqual([21]);
    expect(await readHeldBack(dir)).toEqual([entry(1), entry(2)]);
  });

  it('refuses an entry that breaks the contract and writes nothing', async () => {
    await expect(
      appendHeldBack(dir, [{ ...entry(1), flag: 'odd' as 'disputed' }]),
    ).rejects.toThrow();
    expect(await readHeldBack(dir)).toEqual([]);
  });
});

describe('readJsonLinesFrom', () => {
  it('reads complete lines from an offset, leaves an unfinished one, reports bad ones', async () => {
    const path = join(dir, DISPUTED_FILE);
    expect(await readJsonLinesFrom(path, heldBackEntrySchema, 0)).toEqual({
      values: [],
      offset: 0,
      bad: [],
    });
    await appendHeldBack(dir, [entry(1)]);
    const first = await readJsonLinesFrom(path, heldBackEntrySchema, 0);
    expect(first.values).toEqual([entry(1)]);
    const line = JSON.stringify(entry(2));
    await appendFile(path, `not json\n${line.slice(0, 10)}`);
    const second = await readJsonLinesFrom(path, heldBackEntrySchema, first.offset);
    expect(second).toMatchObject({ values: [], bad: ['not JSON'] });
    await appendFile(path, `${line.slice(10)}\n`);
    const third = await readJsonLinesFrom(path, heldBackEntrySchema, second.offset);
    expect(third.values).toEqual([entry(2)]);
    expect(third.offset).toBe((await readFile(path)).length);
  });
});
