import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ReviewDecision } from '../contract';
import { appendReviewDecision, latestDecisions, readReviewDecisions } from './review';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'registry-review-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

const ID = '6f1c2f0e-4a53-4c1e-9a47-2b8f0d6c9e11';
const decision = (d: 'accept' | 'reject', at: string, id = ID): ReviewDecision => ({
  id,
  decision: d,
  at,
  by: 'admin',
});

describe('review decisions', () => {
  it('reads none when new_data/review.jsonl does not exist', async () => {
    expect(await readReviewDecisions(dir)).toEqual([]);
  });

  it('appends decisions and reads them back in order, the last one per id in force', async () => {
    const first = decision('reject', '2026-11-26T12:00:00.000Z');
    const second = decision('accept', '2026-11-26T13:00:00.000Z', ID.toUpperCase());
    await appendReviewDecision(dir, first);
    await appendReviewDecision(dir, second);
    expect(await readReviewDecisions(dir)).toEqual([first, second]);
    expect(latestDecisions([first, second]).get(ID)?.decision).toBe('accept');
  });

  it('ignores a torn last line (a crash mid-append)', async () => {
    await appendReviewDecision(dir, decision('accept', '2026-11-26T12:00:00.000Z'));
    await appendFile(join(dir, 'review.jsonl'), `{"id": "${ID}", "decis`);
    expect(await readReviewDecisions(dir)).toHaveLength(1);
  });

  it('refuses to append a decision that breaks the contract', async () => {
    const bad = { ...decision('accept', 'yesterday') };
    await expect(appendReviewDecision(dir, bad)).rejects.toThrow();
    expect(await readReviewDecisions(dir)).toEqual([]);
  });
});
