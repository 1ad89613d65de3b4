// The writer's hand: a geometry (rotation, slant, width) that, applied to this user's digits,
// makes them look like the digits the global model learned from. Pure (the model is passed in
// as a function), shared by the browser and the Node bench.
//
// Much of what a person's digits get wrong is one consistent geometry: everything leans, or is
// narrow, the same way. The head (head.ts) can learn that only digit by digit, from the classes
// the user has answered; undoing the geometry fixes every class at once. So the predictor runs
// the model on `applyHand(pixels, hand)`, and the hand is fitted to the user's own answers: the
// geometry under which the model gives their labels the most probability. A fitted hand is used
// only when it reads clearly more of those answers right than no hand, so a writer who already
// writes like MNIST keeps the model's own view.
import { MNIST_SIZE, toMnist, EmptyImageError } from 'sync-server/contract';
import { warp } from 'sync-server/writers';
import { argmax } from './blend';

export interface Hand {
  rotationDeg: number;
  /** Horizontal shift per row below the centre; positive leans the top right. */
  slant: number;
  /** Width scale; below 1 narrower. */
  aspect: number;
}

/** No change: the model sees the digit as drawn. */
export const PLAIN_HAND: Readonly<Hand> = { rotationDeg: 0, slant: 0, aspect: 1 };

export interface HandOptions {
  /** The newest answers the fit uses (bounds its cost whatever the memory holds). */
  maxAnswers: number;
  /** Fewer answers than this: no hand. */
  minAnswers: number;
  /** A hand is kept only when it reads this many more of the answers right than none. */
  minGain: number;
  /**
   * Weight of the hand's size in the objective: mean log-likelihood − shrink · size, where size
   * is the sum of each value's squared distance from plain in units of the grid's farthest value
   * (30°, 0.6, ×1.6). Larger prefers a gentler hand when a strong one reads barely better.
   */
  shrink: number;
}

// Chosen with `npm run bench:personal -w web -- --sweep --seeds 1,2,4,5,6,9,10,12,13,15,17,18`
// (web/README.md): without the shrink, a writer who already wrote nearly like MNIST could get a
// strong hand that read the fit's answers better and their later digits worse.
export const HAND_DEFAULTS: Readonly<HandOptions> = {
  maxAnswers: 40,
  minAnswers: 8,
  minGain: 2,
  shrink: 0.1,
};

/** The values searched, one coordinate at a time; the plain value is in each list. */
type Axis = keyof Hand;
const GRID: Readonly<Record<Axis, readonly number[]>> = {
  rotationDeg: [-30, -20, -10, 0, 10, 20, 30],
  slant: [-0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6],
  aspect: [0.6, 0.75, 1, 1.3, 1.6],
};
const AXES: readonly Axis[] = ['rotationDeg', 'slant', 'aspect'];

export function isPlain(hand: Hand): boolean {
  return hand.rotationDeg === 0 && hand.slant === 0 && hand.aspect === 1;
}

/** "none", or the hand's three values: for benches and logs. */
export function describeHand(h: Hand): string {
  return isPlain(h) ? 'none' : `rot ${h.rotationDeg}°, slant ${h.slant}, aspect ${h.aspect}`;
}

/** The hand in the user's words: what the app does to their digits before the model reads them. */
export function explainHand(h: Hand): string {
  const parts = [
    h.rotationDeg ? `turned ${Math.abs(h.rotationDeg)}°` : '',
    h.slant ? 'slant undone' : '',
    h.aspect > 1 ? 'widened' : h.aspect < 1 ? 'narrowed' : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'unchanged';
}

export function sameHand(a: Hand, b: Hand): boolean {
  return a.rotationDeg === b.rotationDeg && a.slant === b.slant && a.aspect === b.aspect;
}

/** A string that is the same for the same hand, for maps keyed by hand. */
export function handKey(h: Hand): string {
  return `${h.rotationDeg}/${h.slant}/${h.aspect}`;
}

/**
 * The digit as the model should see it under `hand`: warped, then normalized again like every
 * input. The plain hand returns `pixels` itself. A warp that leaves no ink (it cannot for the
 * searched geometries, but a stored hand could be anything) gives the digit unchanged.
 */
export function applyHand(pixels: Uint8Array, hand: Hand): Uint8Array {
  if (isPlain(hand)) return pixels;
  try {
    return toMnist(warp(pixels, hand), MNIST_SIZE, MNIST_SIZE);
  } catch (error) {
    if (error instanceof EmptyImageError) return pixels;
    throw error;
  }
}

export interface LabelledPixels {
  pixels: Uint8Array;
  label: number;
}

/** The model's probabilities for each image, in order; null once that model is not in use. */
export type Classify = (images: Uint8Array[]) => Promise<Float32Array[] | null>;

export interface HandFit {
  hand: Hand;
  /** Answers read right under `hand` and with no hand, of `answers`. */
  right: number;
  plainRight: number;
  answers: number;
}

interface Scored {
  hand: Hand;
  /** Mean log-probability of the answers' labels, less the shrink: the search's objective. */
  objective: number;
  right: number;
}

/** How far `h` is from plain (see `HandOptions.shrink`). */
function size(h: Hand): number {
  return (
    (h.rotationDeg / 30) ** 2 + (h.slant / 0.6) ** 2 + (Math.log(h.aspect) / Math.log(1.6)) ** 2
  );
}

const FLOOR = 1e-7;

/**
 * Fits a hand to the newest `maxAnswers` answers: two rounds of one coordinate at a time over the
 * grid, then half steps around the best. Deterministic; about 45 geometries, each one batch of
 * the model over the answers. Null `classify` results (the model changed meanwhile) end the fit
 * with null.
 */
export async function fitHand(
  all: readonly LabelledPixels[],
  classify: Classify,
  options: HandOptions = HAND_DEFAULTS,
): Promise<HandFit | null> {
  const answers = all.slice(-options.maxAnswers);
  const plainFit = (plainRight: number): HandFit => ({
    hand: { ...PLAIN_HAND },
    right: plainRight,
    plainRight,
    answers: answers.length,
  });
  if (answers.length < options.minAnswers) return plainFit(0);
  const seen = new Map<string, Scored>();
  const score = async (hand: Hand): Promise<Scored | null> => {
    const key = handKey(hand);
    const known = seen.get(key);
    if (known) return known;
    const probabilities = await classify(answers.map((a) => applyHand(a.pixels, hand)));
    if (!probabilities) return null;
    let logLikelihood = 0;
    let right = 0;
    probabilities.forEach((p, i) => {
      const label = answers[i]!.label;
      logLikelihood += Math.log(Math.max(p[label]!, FLOOR));
      if (argmax(p) === label) right++;
    });
    const objective = logLikelihood / answers.length - options.shrink * size(hand);
    const scored = { hand, objective, right };
    seen.set(key, scored);
    return scored;
  };
  const plain = await score({ ...PLAIN_HAND });
  if (!plain) return null;
  let best = plain;
  const tryHand = async (hand: Hand): Promise<boolean> => {
    const s = await score(hand);
    if (!s) return false;
    if (s.objective > best.objective) best = s;
    return true;
  };
  for (let round = 0; round < 2; round++) {
    for (const axis of AXES) {
      for (const value of GRID[axis]) {
        if (!(await tryHand({ ...best.hand, [axis]: value }))) return null;
      }
    }
  }
  for (const axis of AXES) {
    const values = GRID[axis];
    const at = values.indexOf(best.hand[axis]);
    for (const neighbour of [values[at - 1], values[at + 1]]) {
      if (neighbour === undefined) continue;
      const half = round3((best.hand[axis] + neighbour) / 2);
      if (!(await tryHand({ ...best.hand, [axis]: half }))) return null;
    }
  }
  if (best.right < plain.right + options.minGain) return plainFit(plain.right);
  return { hand: best.hand, right: best.right, plainRight: plain.right, answers: answers.length };
}

/**
 * Whether a memory of `count` answers should fit its hand again, `since` answers after the last
 * fit (null: never fitted under this model). The first fit comes at `minAnswers`; then each time
 * the answers grow by half of those the last fit used, so fits are frequent while a hand is new
 * and, once the fits use `maxAnswers`, come every `maxAnswers / 2` answers.
 */
export function refitDue(
  count: number,
  since: number | null,
  options: HandOptions = HAND_DEFAULTS,
): boolean {
  if (count < options.minAnswers) return false;
  if (since === null) return true;
  const used = Math.min(Math.max(count - since, options.minAnswers), options.maxAnswers);
  return since >= Math.ceil(used / 2);
}

function round3(v: number): number {
  return Math.round(v * 1000) / 1000;
}
