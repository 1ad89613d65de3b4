import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { REVIEW_FILE } from 'sync-server/contract';
import { appendHeldBack, appendReviewDecision } from 'sync-server/registry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempDir } from '../../test/helpers/tiny-model';
import { screenFeedback } from './screen';
import type { FeedbackSample } from './subsets';

const ID = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const CLIENT = 'c1000000-0000-4000-8000-000000000001';
const caps = { maxShare: 0.1, maxAnswers: 2, seed: 1 };

function sample(n: number, extra: Partial<FeedbackSample> = {}): FeedbackSample {
  return {
    id: ID(n),
    subset: 0,
    label: 1,
    createdAt: n,
    source: 'web_feedback',
    pixels: new Uint8Array(784),
    ...extra,
  };
}

let root: Awaited<ReturnType<typeof tempDir>>;
beforeEach(async () => (root = await tempDir('screen-')));
afterEach(() => root.cleanup());

const decide = (n: number, decision: 'accept' | 'reject') =>
  appendReviewDecision(root.dir, { id: ID(n), decision, at: new Date(n).toISOString(), by: 't' });

describe('screenFeedback', () => {
  it('reads review.jsonl (the last decision per id wins), then caps per client', async () => {
    const samples = [
      sample(1, { flags: ['burst'] }),
      sample(2, { flags: ['burst'] }),
      sample(3),
      ...[4, 5, 6, 7].map((n) => sample(n, { clientId: CLIENT })),
    ];
    await decide(1, 'reject');
    await decide(1, 'accept');
    await decide(3, 'reject');
    await decide(4, 'reject');
    const { samples: kept, counts } = await screenFeedback(root.dir, samples, caps);
    expect(kept.map((s) => s.id)).toContain(ID(1));
    expect(kept.filter((s) => s.clientId === CLIENT)).toHaveLength(2);
    expect(kept.map((s) => s.id)).not.toContain(ID(2));
    expect(kept.map((s) => s.id)).not.toContain(ID(3));
    expect(kept).toHaveLength(3);
    expect(counts).toEqual({
      feedbackPendingReview: 1,
      feedbackRejected: 2,
      feedbackCapped: 1,
      feedbackCappedClients: 1,
      feedbackClientCap: 2,
    });
  });

  it('ignores a torn last line of review.jsonl and keeps the decisions before it', async () => {
    await decide(1, 'accept');
    await appendFile(join(root.dir, REVIEW_FILE), `{"id":"${ID(2)}","decis`);
    const samples = [sample(1, { flags: ['burst'] }), sample(2, { flags: ['burst'] })];
    const { samples: kept, counts } = await screenFeedback(root.dir, samples, caps);
    expect(kept.map((s) => s.id)).toEqual([ID(1)]);
    expect(counts.feedbackPendingReview).toBe(1);
  });

  it('trains on everything unflagged when there is no review.jsonl at all', async () => {
    const samples = [sample(1), sample(2)];
    expect((await screenFeedback(root.dir, samples, caps)).samples).toEqual(samples);
  });

  it('holds back what an earlier run recorded in disputed.jsonl until review accepts it', async () => {
    const at = new Date(0).toISOString();
    await appendHeldBack(root.dir, [
      { id: ID(1), flag: 'disputed', at, model: 'v1' },
      { id: ID(2), flag: 'distrusted_client', at, model: 'v1' },
    ]);
    await decide(2, 'accept');
    const samples = [sample(1), sample(2), sample(3)];
    const { samples: kept, counts } = await screenFeedback(root.dir, samples, caps);
    expect(kept.map((s) => s.id)).toEqual([ID(2), ID(3)]);
    expect(kept[0]!.flags).toEqual(['distrusted_client']);
    expect(counts.feedbackPendingReview).toBe(1);
  });
});
