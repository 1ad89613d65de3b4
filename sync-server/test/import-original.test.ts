import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { metadataFileSchema } from '../src/contract';
import { makeApp, makeItem, postFeedback, tempDirs, jsonOf } from './helpers';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'original-new_data');
let dirs: ReturnType<typeof tempDirs>;
beforeEach(() => {
  dirs = tempDirs();
  cpSync(FIXTURE, dirs.data, { recursive: true });
});
afterEach(() => dirs.cleanup());

describe("the original system's new_data", () => {
  it('imports as is: 5 sealed subsets of 10, and new feedback opens sub_set_5', async () => {
    const t = await makeApp(dirs, { threshold: 10 });
    const status = await jsonOf(t.app.request('/api/status'));
    expect(status.subset).toEqual({ index: 5, count: 0, threshold: 10 });
    expect(status.feedback).toEqual({ total: 50, sealedSubsets: 5 });
    const r = await postFeedback(t.app, { items: [makeItem(), makeItem()] });
    expect(r.json).toMatchObject({ accepted: 2, subset: { index: 5, count: 2 } });
    // The original files are untouched, including the entry whose PNG the original lost.
    for (const i of [0, 4]) {
      const rel = join(`sub_set_${i}`, 'metadata.json');
      expect(readFileSync(join(dirs.data, rel))).toEqual(readFileSync(join(FIXTURE, rel)));
    }
    const added = metadataFileSchema.parse(
      JSON.parse(readFileSync(join(dirs.data, 'sub_set_5', 'metadata.json'), 'utf8')),
    );
    expect(added.map((e) => e.source)).toEqual(['web_feedback', 'web_feedback']);
    expect(JSON.parse(readFileSync(join(dirs.data, 'count.json'), 'utf8'))).toEqual({
      current_count: 2,
      sub_set_count: 5,
    });
    await t.close();
  });

  it('keeps every subset its count.json sealed when the threshold is raised', async () => {
    const t = await makeApp(dirs, { threshold: 20 });
    const status = await jsonOf(t.app.request('/api/status'));
    // count.json records sub_set_count 5: subset 4 (10 answers) stays sealed; a seal is permanent.
    expect(status.subset).toEqual({ index: 5, count: 0, threshold: 20 });
    await t.close();
  });
});
