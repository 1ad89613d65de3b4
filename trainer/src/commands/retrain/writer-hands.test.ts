import * as tf from '@tensorflow/tfjs';
import { PIXEL_COUNT } from 'sync-server/contract';
import { createRng, randomWriter, writeAs, type WriterStyle } from 'sync-server/writers';
import { describe, expect, it } from 'vitest';
import type { FeedbackSample } from '../../data/subsets';
import { loadMnist } from '../../data/mnist';
import { pick } from '../../evaluate';
import { buildModel } from '../../model';
import { blendWeights } from './fine-tune';
import { RETRAIN_DEFAULTS } from './options';
import {
  chooseWriters,
  describeHands,
  looseAnswers,
  handAnswers,
  MAX_ANSWER_HANDS,
  MAX_WRITER_DIGITS,
  MAX_WRITERS,
  MIN_WRITER_ANSWERS,
  shareDigits,
  writerDigits,
  type WriterHand,
} from './writer-hands';

const test = loadMnist('test');
const train = pick(
  loadMnist('train'),
  Uint32Array.from({ length: 3000 }, (_, i) => i),
);

/** `n` answers of one client, test digits from `first` on, written in `hand`. */
function answers(clientId: string | undefined, n: number, first: number, hand: WriterStyle) {
  return Array.from({ length: n }, (_, k): FeedbackSample => {
    const i = first + k;
    return {
      id: `${clientId ?? 'none'}-${k}`,
      subset: 1,
      label: test.labels[i]!,
      createdAt: 1000 + k,
      source: 'web_feedback',
      ...(clientId && { clientId }),
      pixels: writeAs(test.images.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT), hand),
    };
  });
}

/** Every answer counts as misread by the live model. */
const anyMisread = () => true;

const narrow: WriterStyle = { rotationDeg: 0, slant: 0.4, aspect: 0.6, stroke: 1 };
const wide: WriterStyle = { rotationDeg: 0, slant: 0, aspect: 1.6, stroke: 0 };

const byWriter = { hands: 'writer' } as const;
const byAnswer = { hands: 'answer' } as const;

describe('writerDigits', { timeout: 60_000 }, () => {
  it("by answer, writes each answer's own hand, a sixteenth of a writer's digits each", () => {
    const fresh = [...answers('aaaa', 8, 0, narrow), ...answers(undefined, 4, 8, wide)];
    const { set, hands } = writerDigits(fresh, train, 80, 1, anyMisread, byAnswer);
    expect(hands.map((h) => [h.clientId, h.answers, h.digits])).toEqual(
      Array.from({ length: 12 }, () => [undefined, 1, 5]),
    );
    expect(set.count).toBe(60);
    // One answer says less than eight, but a narrow hand still shows in most of them, and a
    // wide one in the others.
    const narrowFits = hands.filter((h) => h.fit.style.aspect < 1).length;
    expect(narrowFits).toBeGreaterThanOrEqual(6);
    expect(narrowFits).toBeLessThanOrEqual(9);
    expect(describeHands(hands)).toEqual([
      expect.stringMatching(/^12 answers, a hand fitted to each: similarity/),
    ]);
    expect(writerDigits(fresh, train, 80, 1, anyMisread, byAnswer).set).toEqual(set);
  });

  it(`gives its own hand to the answers the live model misread first, at most ${MAX_ANSWER_HANDS}`, () => {
    const many = Array.from({ length: MAX_ANSWER_HANDS + 5 }, (_, k): FeedbackSample => ({
      ...answers(undefined, 1, k, wide)[0]!,
      id: `a-${k}`,
      createdAt: k,
    }));
    const misread = (a: FeedbackSample) => a.id === 'a-0' || a.id === 'a-1';
    const chosen = handAnswers(many, misread);
    expect(chosen).toHaveLength(MAX_ANSWER_HANDS);
    expect(chosen.slice(0, 3).map((a) => a.id)).toEqual([
      'a-1',
      'a-0',
      `a-${MAX_ANSWER_HANDS + 4}`,
    ]);
  });

  it("by writer (the default), writes each client's hand, and a hand per answer of no client or too small a one", () => {
    const fresh = [
      ...answers('aaaa', 8, 0, narrow),
      ...answers('bbbb', 6, 8, wide),
      ...answers('cccc', MIN_WRITER_ANSWERS - 1, 14, narrow),
      ...answers(undefined, 10, 20, narrow),
    ];
    const { set, hands } = writerDigits(fresh, train, 40, 1, anyMisread, byWriter);
    expect(hands.map((h) => [h.clientId, h.answers, h.digits])).toEqual([
      ['aaaa', 8, 40],
      ['bbbb', 6, 40],
      // The answers of too small a client and those of none: a hand each, a sixteenth as many.
      ...Array.from({ length: MIN_WRITER_ANSWERS - 1 + 10 }, () => [undefined, 1, 3]),
    ]);
    expect(set.count).toBe(80 + (MIN_WRITER_ANSWERS - 1 + 10) * 3);
    expect(hands[0]!.fit.style.aspect).toBeLessThan(1);
    expect(hands[1]!.fit.style.aspect).toBeGreaterThan(1);
    // The same answers and seed give the same digits, and writer is the default.
    expect(writerDigits(fresh, train, 40, 1, anyMisread).set).toEqual(set);
  });

  it('shares a budget among the hands, each keeping its share', () => {
    const fresh = [
      ...answers('aaaa', 5, 0, narrow),
      ...answers('bbbb', 5, 8, wide),
      ...answers(undefined, 2, 20, narrow),
    ];
    const { set, hands } = writerDigits(fresh, train, 48, 1, anyMisread, {
      ...byWriter,
      budget: 48,
    });
    // 48 + 48 + 2 × 3 digits asked, 48 given: every hand scaled by the same factor.
    expect(hands.map((h) => [h.clientId, h.digits])).toEqual([
      ['aaaa', 22],
      ['bbbb', 22],
      [undefined, 1],
      [undefined, 1],
    ]);
    expect(set.count).toBe(46);
    // A budget above what the hands ask changes nothing.
    const loose = writerDigits(fresh, train, 48, 1, anyMisread, { ...byWriter, budget: 1000 });
    expect(loose.set).toEqual(writerDigits(fresh, train, 48, 1, anyMisread, byWriter).set);
  });

  it("takes a client's true hand when given one, and fits the others", () => {
    const fresh = [...answers('aaaa', 8, 0, narrow), ...answers('bbbb', 6, 8, wide)];
    const truth: WriterStyle = { ...narrow, rotationDeg: 12 };
    const trueHands = new Map([['aaaa', truth]]);
    const { set, hands } = writerDigits(fresh, train, 40, 1, anyMisread, { trueHands });
    expect(hands.map((h) => h.clientId)).toEqual(['aaaa', 'bbbb']);
    expect(hands[0]!.fit.style).toEqual(truth);
    expect(hands[0]!.warps).toEqual([]);
    expect(hands[0]!.fit.similarity).toBeGreaterThan(0);
    expect(hands[1]!.fit.style.aspect).toBeGreaterThan(1);
    const fitted = writerDigits(fresh, train, 40, 1, anyMisread);
    expect(fitted.hands[1]).toEqual(hands[1]);
    expect(set.images.subarray(0, 40 * PIXEL_COUNT)).not.toEqual(
      fitted.set.images.subarray(0, 40 * PIXEL_COUNT),
    );
  });

  it("with handWarps, bends a known writer's digits by the hand's likeliest warps", () => {
    const warped: WriterStyle = { ...narrow, elastic: randomWriter(createRng(3)).elastic! };
    const fresh = [...answers('aaaa', 8, 0, warped), ...answers(undefined, 2, 8, warped)];
    const options = { handWarps: 5 };
    const { set, hands } = writerDigits(fresh, train, 40, 1, anyMisread, options);
    expect(hands.map((h) => h.warps.length)).toEqual([5, 0, 0]);
    expect(describeHands(hands)[0]).toContain('and 5 likely warps');
    // Off by default: the fitted geometry alone, as before.
    expect(RETRAIN_DEFAULTS.handWarps).toBe(0);
    const plain = writerDigits(fresh, train, 40, 1, anyMisread);
    expect(plain.hands.map((h) => h.warps.length)).toEqual([0, 0, 0]);
    expect(plain.hands.slice(1)).toEqual(hands.slice(1));
    expect(set.images.subarray(0, 40 * PIXEL_COUNT)).not.toEqual(
      plain.set.images.subarray(0, 40 * PIXEL_COUNT),
    );
    expect(writerDigits(fresh, train, 40, 1, anyMisread, options)).toEqual({ set, hands });
  });

  it('writes nothing when turned off, or by writer for a client whose answers the model reads', () => {
    expect(writerDigits(answers('aaaa', 8, 0, narrow), train, 0, 1, anyMisread).set.count).toBe(0);
    const readRight = () => false;
    const fresh = answers('aaaa', 8, 0, narrow);
    expect(writerDigits(fresh, train, 40, 1, readRight, byWriter).hands).toEqual([]);
  });

  it('with fitWriters all, fits a hand to a client whose answers the model all reads', () => {
    const readRight = () => false;
    const fresh = [
      ...answers('aaaa', 8, 0, narrow),
      ...answers('bbbb', MIN_WRITER_ANSWERS - 1, 8, wide),
    ];
    const all = { ...byWriter, fitWriters: 'all' } as const;
    const { set, hands } = writerDigits(fresh, train, 40, 1, readRight, all);
    // The client with too few answers still gets one-answer hands, as by default.
    expect(hands.map((h) => [h.clientId, h.answers])).toEqual([
      ['aaaa', 8],
      ...Array.from({ length: MIN_WRITER_ANSWERS - 1 }, () => [undefined, 1]),
    ]);
    expect(hands[0]!.fit.style.aspect).toBeLessThan(1);
    expect(set.count).toBe(40 + (MIN_WRITER_ANSWERS - 1) * Math.max(1, Math.round(40 / 16)));
    expect(RETRAIN_DEFAULTS.fitWriters).toBe('misread');
  });

  it(`by writer, fits at most ${MAX_ANSWER_HANDS} one-answer hands, the newest answers`, () => {
    const many = Array.from({ length: MAX_ANSWER_HANDS + 5 }, (_, k): FeedbackSample => ({
      ...answers(undefined, 1, k, wide)[0]!,
      id: `loose-${k}`,
      createdAt: k,
    }));
    const chosen = looseAnswers([...many, ...answers('aaaa', MIN_WRITER_ANSWERS, 0, wide)]);
    expect(chosen).toHaveLength(MAX_ANSWER_HANDS);
    expect(chosen[0]!.id).toBe(`loose-${MAX_ANSWER_HANDS + 4}`);
    expect(chosen.some((a) => a.clientId === 'aaaa')).toBe(false);
  });

  it('leaves out a client whose answers the live model read right', () => {
    const fresh = [...answers('aaaa', 8, 0, narrow), ...answers('bbbb', 6, 8, wide)];
    const misread = (a: FeedbackSample) => a.clientId === 'bbbb' && a.id.endsWith('-3');
    expect(chooseWriters(fresh, misread).map(([id]) => id)).toEqual(['bbbb']);
  });

  it(`fits at most ${MAX_WRITERS} writers, those with the most answers`, () => {
    const many = Array.from({ length: MAX_WRITERS + 2 }, (_, w) =>
      answers(`w${String(w).padStart(2, '0')}`, MIN_WRITER_ANSWERS + (w === 0 ? 1 : 0), w, wide),
    ).flat();
    const chosen = chooseWriters(many, anyMisread);
    expect(chosen).toHaveLength(MAX_WRITERS);
    expect(chosen.map(([id]) => id).slice(0, 3)).toEqual(['w00', 'w01', 'w02']);
  });
});

describe('shareDigits', () => {
  const hand = (digits: number): WriterHand => ({
    clientId: undefined,
    answers: 1,
    fit: { style: narrow, similarity: 1, plainSimilarity: 1 },
    warps: [],
    digits,
  });

  it('leaves the hands as they are within the budget', () => {
    const hands = [hand(1000), hand(125)];
    expect(shareDigits(hands, 1125)).toEqual(hands);
  });

  it('scales every hand down by one factor beyond it, at least a digit each', () => {
    const shared = shareDigits([hand(1000), hand(1000), hand(125), hand(1)], 1063);
    expect(shared.map((h) => h.digits)).toEqual([500, 500, 62, 1]);
    expect(shared.reduce((sum, h) => sum + h.digits, 0)).toBeLessThanOrEqual(1063);
  });

  it(`keeps a round of ${MAX_WRITERS} writers and ${MAX_ANSWER_HANDS} one-answer hands within ${MAX_WRITER_DIGITS} digits`, () => {
    const hands = [
      ...Array.from({ length: MAX_WRITERS }, () => hand(1000)),
      ...Array.from({ length: MAX_ANSWER_HANDS }, () => hand(125)),
    ];
    const total = shareDigits(hands, MAX_WRITER_DIGITS).reduce((sum, h) => sum + h.digits, 0);
    expect(total).toBeLessThanOrEqual(MAX_WRITER_DIGITS);
    expect(total).toBeGreaterThan(MAX_WRITER_DIGITS * 0.99);
  });
});

describe('writerDigits with the live reading', () => {
  it('chooses among the pool when writerDigits is given the live reading', () => {
    const fresh = answers('aaaa', 8, 0, narrow);
    let seen = 0;
    const classify = (set: { count: number }) => {
      seen = set.count;
      return new Uint8Array(set.count).fill(11);
    };
    const focus = { classify, pool: 3 };
    const { set } = writerDigits(fresh, train, 40, 1, anyMisread, { ...byWriter, focus });
    expect(seen).toBe(120);
    expect(set.count).toBe(40);
    // Every digit counts as misread here, so the first 40 of the pool are kept.
    const pool = writerDigits(fresh, train, 120, 1, anyMisread, byWriter).set;
    expect(set).toEqual(
      pick(
        pool,
        Uint32Array.from({ length: 40 }, (_, i) => i),
      ),
    );
  });
});

describe('blendWeights', () => {
  it('moves every weight the given share of the way from the live model to the tuned one', () => {
    const model = buildModel();
    const live = model.getWeights().map((w) => w.clone());
    model.setWeights(live.map((w) => tf.tidy(() => w.add(1))));
    blendWeights(model, live, 0.25);
    model.getWeights().forEach((w, i) => {
      const expected = tf.tidy(() => live[i]!.add(0.25));
      expect(Array.from(w.dataSync())).toEqual(
        Array.from(expected.dataSync()).map((v) => expect.closeTo(v, 5)),
      );
      expected.dispose();
    });
    live.forEach((w) => w.dispose());
    model.dispose();
  });
});
