import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sureOfZero, useCpu } from '../../../test/helpers/tiny-model';
import type { FeedbackSample } from '../../data/subsets';
import { disputedFlags, holdBackDisputed } from './disputed';
import type { Feedback } from './feedback';

beforeAll(useCpu);

const sample = (n: number, label: number): FeedbackSample => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  subset: 0,
  label,
  createdAt: n,
  source: 'web_feedback',
  pixels: new Uint8Array(784),
});

function feedbackOf(
  train: FeedbackSample[],
  holdout: FeedbackSample[],
  accepted: string[] = [],
  newTrain = train.length,
) {
  return { train, newTrain, holdout, accepted: new Set(accepted) } as unknown as Feedback;
}

describe('disputed answers', () => {
  it('flags an answer when the model gives another digit at least the confidence', () => {
    const model = sureOfZero();
    const set = { images: new Uint8Array(3 * 784), labels: Uint8Array.from([0, 3, 7]), count: 3 };
    const tensors = tf.memory().numTensors;
    expect([...disputedFlags(model, set, 0.99)]).toEqual([0, 1, 1]);
    expect([...disputedFlags(model, set, 0.9999)]).toEqual([0, 0, 0]);
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });

  it('holds disputed answers out of train and holdout unless review accepted them', () => {
    const model = sureOfZero();
    const [a, b, c, d] = [sample(1, 0), sample(2, 7), sample(3, 7), sample(4, 1)];
    const held = holdBackDisputed(model, feedbackOf([a, b, c], [d], [c.id]), 0.99);
    expect(held.feedback.train).toEqual([a, c]);
    expect(held.feedback.holdout).toEqual([]);
    expect(held.disputed).toBe(2);
    expect(held.heldBack).toEqual([
      { id: b.id, flag: 'disputed' },
      { id: d.id, flag: 'disputed' },
    ]);
    model.dispose();
  });

  it('keeps the new answers and the recall sample apart once disputed ones leave', () => {
    const model = sureOfZero();
    // Two new answers (the second disputed), then a recall sample of three (the first disputed).
    const fresh = [sample(1, 0), sample(2, 7)];
    const recall = [sample(3, 4), sample(4, 0), sample(5, 0)];
    const held = holdBackDisputed(model, feedbackOf([...fresh, ...recall], [], [], 2), 0.99);
    const { train, newTrain } = held.feedback;
    expect(train.slice(0, newTrain)).toEqual([fresh[0]]);
    expect(train.slice(newTrain)).toEqual(recall.slice(1));
    model.dispose();
  });

  it('holds back every answer of a client whose answers are mostly disputed', () => {
    const model = sureOfZero();
    const liar = 'a1000000-0000-4000-8000-000000000001';
    const honest = 'b1000000-0000-4000-8000-000000000001';
    const of = (clientId: string, n: number, label: number) => ({ ...sample(n, label), clientId });
    // The liar: 3 disputed of 5 (two of them right); the honest client: 1 disputed of 4.
    const liars = [of(liar, 1, 7), of(liar, 2, 7), of(liar, 3, 7), of(liar, 4, 0), of(liar, 5, 0)];
    const honests = [of(honest, 6, 0), of(honest, 7, 0), of(honest, 8, 0), of(honest, 9, 4)];
    const held = holdBackDisputed(model, feedbackOf([...liars, ...honests], []), 0.99);
    expect(held.feedback.train).toEqual(honests.slice(0, 3));
    expect(held).toMatchObject({ disputed: 6, distrustedClients: 1 });
    // Review sees why: the two right answers wait only for their client's sake.
    expect(held.heldBack.map((h) => h.flag)).toEqual([
      'disputed',
      'disputed',
      'disputed',
      'distrusted_client',
      'distrusted_client',
      'disputed',
    ]);
    model.dispose();
  });

  it('keeps everything when turned off (confidence 0)', () => {
    const model = sureOfZero();
    const feedback = feedbackOf([sample(1, 7)], [sample(2, 7)]);
    expect(holdBackDisputed(model, feedback, 0)).toEqual({
      feedback,
      disputed: 0,
      distrustedClients: 0,
      heldBack: [],
    });
    model.dispose();
  });
});
