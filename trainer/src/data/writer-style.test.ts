import { PIXEL_COUNT, toMnist, MNIST_SIZE } from 'sync-server/contract';
import {
  createRng,
  randomElastic,
  randomWriter,
  writeAs,
  type ElasticField,
  type WriterStyle,
} from 'sync-server/writers';
import { describe, expect, it } from 'vitest';
import { pick } from '../evaluate';
import { loadMnist } from './mnist';
import { strokeByThickness, strokeThickness } from './stroke-weight';
import { fitStyle, givenStyle, pickExemplars, PLAIN_STYLE, styledDigits } from './writer-style';
import { fitWarps, likeliestWarps, WARP_AMPLITUDES, WARP_CANDIDATES } from './writer-warps';

const train = loadMnist('train');
const test = loadMnist('test');
const digit = (i: number) => test.images.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT);

/**
 * `count` test digits from `first` on (never exemplars: those come from MNIST train) written
 * in `style`: a writer's answers by default, other digits of the same writer further on.
 */
function answersIn(style: WriterStyle, first = 0, count = 8) {
  return Array.from({ length: count }, (_, k) => ({
    pixels: writeAs(digit(first + k), style),
    label: test.labels[first + k]!,
  }));
}

// A fit restyles a few thousand digits: seconds on a busy 2-core box.
describe('fitStyle', { timeout: 30_000 }, () => {
  const exemplars = pickExemplars(train, 6, 1);

  it('finds a narrow, bold, right-leaning hand from eight of its digits', () => {
    const hand: WriterStyle = { rotationDeg: -15, slant: 0.3, aspect: 0.65, stroke: 2 };
    const fit = fitStyle(answersIn(hand), exemplars);
    expect(fit.similarity).toBeGreaterThan(fit.plainSimilarity + 0.05);
    expect(fit.style.aspect).toBeLessThan(0.9);
    expect(fit.style.stroke).toBeGreaterThanOrEqual(1);
    // Rotation and slant trade off; what they do together to a vertical stroke is the lean:
    // the top of a rotated-by-θ, slanted-by-s stroke moves right by about s − θ (radians).
    const lean = (s: WriterStyle) => s.slant - (s.rotationDeg * Math.PI) / 180;
    expect(lean(fit.style)).toBeGreaterThan(0.25);
  });

  it('finds a wide, thin, left-leaning hand', () => {
    const hand: WriterStyle = { rotationDeg: 10, slant: -0.3, aspect: 1.45, stroke: 0 };
    const fit = fitStyle(answersIn(hand), exemplars);
    expect(fit.similarity).toBeGreaterThan(fit.plainSimilarity + 0.05);
    expect(fit.style.aspect).toBeGreaterThan(1.1);
    // Widening shrinks the digit into the 20 px box, thinning its strokes: a dilation may
    // stand in for that, but not two.
    expect(fit.style.stroke).toBeLessThanOrEqual(1);
    expect(fit.style.slant - (fit.style.rotationDeg * Math.PI) / 180).toBeLessThan(-0.25);
  });

  it('keeps MNIST-like digits close to the plain hand', () => {
    const fit = fitStyle(answersIn(PLAIN_STYLE), exemplars);
    expect(fit.style.stroke).toBe(0);
    expect(Math.abs(fit.style.rotationDeg)).toBeLessThanOrEqual(10);
    expect(fit.style.aspect).toBeGreaterThanOrEqual(0.8);
    expect(fit.style.aspect).toBeLessThanOrEqual(1.15);
  });

  it('measures the stroke weight of writers with elastic hands by thickness, not by likeness', () => {
    const random = createRng(2026);
    const writers = Array.from({ length: 10 }, () => randomWriter(random));
    const found = writers.map((hand) => fitStyle(answersIn(hand), exemplars).style.stroke);
    const right = found.filter((stroke, w) => stroke === writers[w]!.stroke).length;
    // Likeness alone fitted several of the normal-weight ones one dilation too bold.
    expect(
      right,
      `found ${found.join()} for ${writers.map((w) => w.stroke).join()}`,
    ).toBeGreaterThanOrEqual(8);
  });

  it('fits narrow, bold hands at their weight, not a little wider and one dilation lighter', () => {
    // Total ink could not tell these apart: at a slightly too wide geometry, one dilation less
    // carries as much ink, and it fitted most of these one dilation too light.
    const hands = [2026, 7, 11, 13].flatMap((seed) => {
      const random = createRng(seed);
      return Array.from({ length: 10 }, () => randomWriter(random));
    });
    const narrowBold = hands.filter((h) => h.aspect < 0.8 && h.stroke === 2);
    const found = narrowBold.map((hand, w) => fitStyle(answersIn(hand, 80 * w), exemplars).style);
    const right = found.filter((style) => style.stroke === 2).length;
    expect(
      right,
      `found ${found.map((s) => `aspect ${s.aspect} ×${s.stroke}`).join(', ')}`,
    ).toBeGreaterThanOrEqual(narrowBold.length - 1);
  });

  it('is deterministic', { timeout: 30_000 }, () => {
    const answers = answersIn({ rotationDeg: 20, slant: 0, aspect: 1, stroke: 1 });
    expect(fitStyle(answers, exemplars)).toEqual(fitStyle(answers, exemplars));
  });
});

// Ten writers' geometries fitted twice and eighty warps scored on each: most of a minute on a
// busy 2-core box, so the limit leaves room for a busier one.
describe('fitWarps', { timeout: 240_000 }, () => {
  const exemplars = pickExemplars(train, 6, 1);
  const seeded = createRng(2026);
  const writers = Array.from({ length: 10 }, () => randomWriter(seeded));
  /** Random warps of the writers' size, or of the sizes `fitWarps` draws (`mixed`). */
  const draw = (seed: number, mixed = false) => {
    const random = createRng(seed);
    return Array.from({ length: WARP_CANDIDATES - 1 }, (_, i) =>
      randomElastic(random, mixed ? WARP_AMPLITUDES[i % WARP_AMPLITUDES.length] : undefined),
    );
  };

  it("ranks a writer's own warp near the top of random ones when the geometry is right", () => {
    const ranks = writers.map((hand, w) => {
      const { elastic: own, ...geometry } = hand;
      const ranked = likeliestWarps(geometry, [own!, ...draw(w)], answersIn(hand), exemplars);
      return ranked.findIndex((r) => r.elastic === own);
    });
    // By chance, a warp is among the five likeliest of forty one time in eight.
    expect(ranks.filter((r) => r < 5).length, `ranks ${ranks.join()}`).toBeGreaterThanOrEqual(6);
  });

  it("keeps warps that write digits more like the writer's other digits than random ones", () => {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const likeness = (style: WriterStyle, warps: ElasticField[], hand: WriterStyle) =>
      mean(
        likeliestWarps(style, warps, answersIn(hand, 100, 40), exemplars).map((r) => r.similarity),
      );
    const [kept, random] = [[], []] as [number[], number[]];
    writers.forEach((hand, w) => {
      const answers = answersIn(hand);
      const { fit, warps } = fitWarps(answers, exemplars, fitStyle(answers, exemplars), 5, w);
      if (warps.length === 0) return;
      kept.push(likeness(fit.style, warps, hand));
      random.push(likeness(fit.style, draw(100 + w, true).slice(0, warps.length), hand));
    });
    expect(kept.length).toBeGreaterThanOrEqual(6);
    expect(mean(kept)).toBeGreaterThan(mean(random));
  });

  it('keeps that many, each fitting the answers better than none, the same for one seed', () => {
    const answers = answersIn(writers[3]!);
    const plain = fitStyle(answers, exemplars);
    const { fit, warps } = fitWarps(answers, exemplars, plain, 3, 7);
    expect(fit.style.elastic).toBeUndefined();
    expect(warps).toHaveLength(3);
    const scores = likeliestWarps(fit.style, warps, answers, exemplars);
    expect(scores.map((s) => s.elastic)).toEqual(warps);
    for (const { similarity } of scores) expect(similarity).toBeGreaterThan(fit.similarity);
    expect(fitWarps(answers, exemplars, plain, 3, 7)).toEqual({ fit, warps });
  });

  it('keeps none, and the geometry as it was, when fewer than that fit better than none', () => {
    // Plain MNIST digits: few random warps make them look more like MNIST digits.
    const answers = answersIn(PLAIN_STYLE);
    const given = givenStyle(PLAIN_STYLE, answers, exemplars);
    const { fit, warps } = fitWarps(answers, exemplars, given, WARP_CANDIDATES, 7);
    expect(warps).toEqual([]);
    expect(fit).toEqual(given);
  });
});

describe('styledDigits', () => {
  const small = pick(
    train,
    Uint32Array.from({ length: 2000 }, (_, i) => i),
  );

  it('writes class-balanced MNIST digits with their own labels, the same for one seed', () => {
    const hand: WriterStyle = { rotationDeg: 20, slant: 0.2, aspect: 0.7, stroke: 1 };
    const set = styledDigits(hand, small, 300, 7);
    expect(set.count).toBe(300);
    const perClass = Array.from({ length: 10 }, (_, d) => set.labels.filter((l) => l === d).length);
    expect(perClass).toEqual(Array(10).fill(30));
    expect(styledDigits(hand, small, 300, 7)).toEqual(set);
    expect(styledDigits(hand, small, 300, 8).images).not.toEqual(set.images);
  });

  it('in the plain hand, is the MNIST digit as the app would normalize it', () => {
    const set = styledDigits(PLAIN_STYLE, small, 10, 3);
    for (let k = 0; k < set.count; k++) {
      const written = set.images.subarray(k * PIXEL_COUNT, (k + 1) * PIXEL_COUNT);
      const source = [...Array(small.count).keys()].find((i) => {
        const d = small.images.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT);
        return (
          small.labels[i] === set.labels[k] &&
          toMnist(d, MNIST_SIZE, MNIST_SIZE).every((v, j) => v === written[j])
        );
      });
      expect(source).toBeDefined();
    }
  });

  it('with a warp, bends each digit its own way around the hand, the same for one seed', () => {
    const hand: WriterStyle = { rotationDeg: 20, slant: 0.2, aspect: 0.7, stroke: 1 };
    const straight = styledDigits(hand, small, 40, 7);
    const bent = styledDigits(hand, small, 40, 7, 1.5);
    expect(bent.labels).toEqual(straight.labels);
    expect(styledDigits(hand, small, 40, 7, 1.5)).toEqual(bent);
    const at = (set: typeof bent, k: number) =>
      set.images.subarray(k * PIXEL_COUNT, (k + 1) * PIXEL_COUNT);
    // Every digit moved, by a pixel or two: the same digit, not another one.
    const moved = Array.from({ length: bent.count }, (_, k) => {
      const [a, b] = [at(bent, k), at(straight, k)];
      let diff = 0;
      for (let i = 0; i < PIXEL_COUNT; i++) diff += Math.abs(a[i]! - b[i]!);
      return diff / 255;
    });
    expect(Math.min(...moved)).toBeGreaterThan(0);
    expect(moved.reduce((x, y) => x + y) / moved.length).toBeLessThan(60);
    // A hand's own warp stays under the random one: both bend the digit.
    const warped = { ...hand, elastic: randomWriter(createRng(5)).elastic! };
    const both = styledDigits(warped, small, 40, 7, 1.5);
    expect(both.images).not.toEqual(bent.images);
    expect(both.images).not.toEqual(styledDigits(warped, small, 40, 7).images);
  });

  it("with a hand's warps, bends digit k by warp k modulo their number", () => {
    const hand: WriterStyle = { rotationDeg: -10, slant: 0.3, aspect: 0.8, stroke: 0 };
    const random = createRng(11);
    const warps = [randomElastic(random), randomElastic(random)];
    const both = styledDigits(hand, small, 6, 7, 0, warps);
    warps.forEach((elastic, j) => {
      const one = styledDigits({ ...hand, elastic }, small, 6, 7);
      for (const k of [j, j + 2, j + 4]) {
        const at = (set: typeof one) => set.images.subarray(k * PIXEL_COUNT, (k + 1) * PIXEL_COUNT);
        expect(at(both)).toEqual(at(one));
      }
    });
    expect(both.images).not.toEqual(styledDigits(hand, small, 6, 7).images);
  });

  it('writes nothing from an empty set', () => {
    const empty = { images: new Uint8Array(0), labels: new Uint8Array(0), count: 0 };
    expect(styledDigits(PLAIN_STYLE, empty, 50, 1).count).toBe(0);
  });
});

describe('strokeByThickness', () => {
  const exemplars = pickExemplars(train, 6, 1);
  const hand = (stroke: number, aspect: number): WriterStyle => ({
    rotationDeg: 5,
    slant: 0.2,
    aspect,
    stroke,
  });

  it('tells normal strokes from bold ones by how thick the strokes are, narrow or wide', () => {
    for (const aspect of [0.6, 0.9, 1.4]) {
      for (const stroke of [0, 1, 2]) {
        const style = hand(stroke, aspect);
        expect(
          strokeByThickness(answersIn(style), exemplars, style),
          `×${stroke}, aspect ${aspect}`,
        ).toBe(stroke);
      }
    }
  });

  it('averages the runs of stroke pixels along the rows and along the columns', () => {
    const bar = new Uint8Array(PIXEL_COUNT);
    for (let y = 10; y < 13; y++) for (let x = 4; x < 24; x++) bar[y * MNIST_SIZE + x] = 255;
    // A 3 px bar 20 px long: 20 columns cross it in 3 px, 3 rows run along it for 20 px,
    // (20 · 3 + 3 · 20) / 23 runs. A digit's many crossings outnumber its few runs along.
    expect(strokeThickness(bar)).toBeCloseTo(120 / 23);
    expect(strokeThickness(new Uint8Array(PIXEL_COUNT))).toBe(1);
  });
});
