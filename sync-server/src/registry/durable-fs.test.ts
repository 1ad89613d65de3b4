import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendLineSynced, isTempFileName, replaceFileAtomic, tempPathFor } from './durable-fs';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'registry-durable-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('durable writes', () => {
  it('replaces a file whole and leaves no temp file behind', async () => {
    const path = join(dir, 'count.json');
    await replaceFileAtomic(path, 'one');
    await replaceFileAtomic(path, 'two');
    expect(await readFile(path, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['count.json']);
  });

  it('leaves no temp file when the write fails', async () => {
    await expect(replaceFileAtomic(join(dir, 'absent', 'x.json'), 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });

  it('recognizes exactly its own temp names', () => {
    expect(isTempFileName(basename(tempPathFor(join(dir, 'metadata.json'))))).toBe(true);
    for (const name of ['x.tmp', 'notes.tmp', '.metadata.json.tmp', '.a.1234567.tmp']) {
      expect(isTempFileName(name), name).toBe(false);
    }
  });

  it('appends whole lines', async () => {
    const path = join(dir, 'log.jsonl');
    await appendLineSynced(path, '{"a":1}');
    await appendLineSynced(path, '{"a":2}');
    expect(await readFile(path, 'utf8')).toBe('{"a":1}\n{"a":2}\n');
  });
});
