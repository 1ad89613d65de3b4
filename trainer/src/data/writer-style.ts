import { PIXEL_COUNT } from 'sync-server/contract';
import {
  dilate,
  randomElastic,
  writeAs,
  type ElasticField,
  type WriterStyle,
} from 'sync-server/writers';
import type { SampleSet } from '../train/batch';
import { createRng, shuffledIndices } from '../train/rng';
import { strokeByThickness } from './stroke-weight';

/**
 * Learning a writer's hand from a few answers. Eight answers of one person cover a few digits
 * at most; fine-tuning on them alone teaches "this slant means the digits I saw" and breaks the
 * person's other digits (the replay measured as many broken as fixed). A person's hand is
 * mostly a consistent geometry: slant, rotation, width, stroke weight. So the trainer estimates
 * that geometry from the person's labelled answers and writes MNIST training digits of every
 * class in it: the answers then teach every digit in that hand, with MNIST's correct labels.
 * Wrong labels cannot ride along: a poisoned answer can only skew the estimated geometry.
 */

/** The geometries searched; `writeAs` applies them (rotation, then slant, then aspect). */
export const STYLE_GRID = {
  rotationDeg: [-35, -30, -25, -20, -15, -10, -5, 0, 5, 10, 15, 20, 25, 30, 35],
  slant: [-0.6, -0.5, -0.4, -0.3, -0.2, -0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
  aspect: [0.5, 0.6, 0.7, 0.8, 0.9, 1, 1.15, 1.3, 1.45, 1.6],
  stroke: [0, 1, 2],
} as const;

/** The coarse rotation × slant grid searched jointly before the one-at-a-time rounds. */
const COARSE = {
  rotationDeg: [-30, -20, -10, 0, 10, 20, 30],
  slant: [-0.6, -0.4, -0.2, 0, 0.2, 0.4, 0.6],
};

/** Most times the weight is measured and the geometry searched again (`fitStyle`). */
const STROKE_ROUNDS = 3;

/** The identity: a digit written as MNIST writes it. */
export const PLAIN_STYLE: WriterStyle = { rotationDeg: 0, slant: 0, aspect: 1, stroke: 0 };

export interface LabelledDigit {
  pixels: Uint8Array;
  label: number;
}

/**
 * Reference digits per class, each pre-dilated once per stroke level (index = dilations):
 * `byStroke[s][label]` lists that class's exemplars with `s` dilations applied.
 */
export interface Exemplars {
  byStroke: Uint8Array[][][];
}

/** `perClass` seeded MNIST digits of each class, the references a style is fitted against. */
export function pickExemplars(mnist: SampleSet, perClass: number, seed: number): Exemplars {
  const plain: Uint8Array[][] = Array.from({ length: 10 }, () => []);
  for (const i of shuffledIndices(mnist.count, createRng(seed))) {
    const list = plain[mnist.labels[i]!];
    if (list && list.length < perClass) list.push(digitAt(mnist, i));
    if (plain.every((l) => l.length >= perClass)) break;
  }
  const byStroke = [plain];
  for (let s = 1; s < STYLE_GRID.stroke.length; s++) {
    byStroke.push(byStroke[s - 1]!.map((digits) => digits.map(dilate)));
  }
  return { byStroke };
}

export interface StyleFit {
  style: WriterStyle;
  /** Mean over the answers of the best cosine similarity to a restyled exemplar of its class. */
  similarity: number;
  /** The same for the plain style: how far from MNIST this hand is. */
  plainSimilarity: number;
}

/**
 * The geometry that makes MNIST exemplars look most like these answers: a coarse joint search
 * over rotation × slant (the two trade off against each other), then two rounds of one
 * coordinate at a time over the fine grid of all four. The stroke weight is then measured by
 * the thickness of the strokes (`strokeByThickness`); while it differs from the geometry's, the
 * geometry is searched again at that weight (at most `STROKE_ROUNDS` times). Deterministic;
 * about 130 geometries (twice or more when the weight changes), each
 * restyling the exemplars of the classes the answers show. The search starts from `start`
 * and keeps its warp (`fitWarps` searches again from its likeliest warp).
 */
export function fitStyle(
  answers: readonly LabelledDigit[],
  exemplars: Exemplars,
  start: WriterStyle = PLAIN_STYLE,
): StyleFit {
  const score = (style: WriterStyle) => similarity(style, answers, exemplars);
  const plainSimilarity = score(PLAIN_STYLE);
  let best = { style: start, similarity: start === PLAIN_STYLE ? plainSimilarity : score(start) };
  const consider = (style: WriterStyle) => {
    const s = score(style);
    if (s > best.similarity) best = { style, similarity: s };
  };
  const search = (keys: ReadonlyArray<keyof typeof STYLE_GRID>) => {
    for (const rotationDeg of COARSE.rotationDeg) {
      for (const slant of COARSE.slant) consider({ ...best.style, rotationDeg, slant });
    }
    for (let round = 0; round < 2; round++) {
      for (const key of keys) {
        for (const value of STYLE_GRID[key]) consider({ ...best.style, [key]: value });
      }
    }
  };
  search(['aspect', 'stroke', 'rotationDeg', 'slant']);
  for (let round = 0; round < STROKE_ROUNDS; round++) {
    const stroke = strokeByThickness(answers, exemplars, best.style);
    if (stroke === best.style.stroke) break;
    const style = { ...best.style, stroke };
    best = { style, similarity: score(style) };
    search(['aspect', 'rotationDeg', 'slant']);
  }
  return { ...best, plainSimilarity };
}

/**
 * A geometry known beforehand, scored as `fitStyle` scores its own: the replay's true hands
 * (`--true-hands`), which measure what the fit costs against knowing the writer's geometry.
 */
export function givenStyle(
  style: WriterStyle,
  answers: readonly LabelledDigit[],
  exemplars: Exemplars,
): StyleFit {
  return {
    style,
    similarity: similarity(style, answers, exemplars),
    plainSimilarity: similarity(PLAIN_STYLE, answers, exemplars),
  };
}

/** How alike `style`'s restyled exemplars look to the answers: each answer's best, averaged. */
export function similarity(
  style: WriterStyle,
  answers: readonly LabelledDigit[],
  exemplars: Exemplars,
): number {
  const references = exemplars.byStroke[style.stroke] ?? exemplars.byStroke[0]!;
  const warpOnly: WriterStyle = { ...style, stroke: 0 };
  // Each class's exemplars restyled once, however many answers show that class.
  const restyled = new Map<number, Uint8Array[]>();
  let total = 0;
  for (const { pixels, label } of answers) {
    let written = restyled.get(label);
    if (!written) {
      written = (references[label] ?? []).map((e) => writeAs(e, warpOnly));
      restyled.set(label, written);
    }
    let best = 0;
    for (const w of written) best = Math.max(best, cosine(w, pixels));
    total += best;
  }
  return answers.length ? total / answers.length : 0;
}

/** Cosine similarity of two digits' pixels: how alike they look, whatever their ink. */
export function cosine(a: Uint8Array, b: Uint8Array): number {
  let [ab, aa, bb] = [0, 0, 0];
  for (let i = 0; i < PIXEL_COUNT; i++) {
    ab += a[i]! * b[i]!;
    aa += a[i]! * a[i]!;
    bb += b[i]! * b[i]!;
  }
  return aa && bb ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * `count` MNIST digits written in `style`, class-balanced (round-robin over the classes, the
 * digits of each class in a seeded order), labelled with MNIST's own labels. With `warps` (a
 * hand's likeliest, `fitWarps`), digit k is bent by warp k modulo their number instead of
 * `style`'s own. With `warp`, each digit is also bent by a smooth random warp of its own of
 * about that many pixels, on top of that. A fit finds a hand's geometry, not the rest of its
 * habits (the replay's `--true-hands affine` learns no more than the fitted hands): digits
 * bent every which way around it teach the model the hand's neighbourhood, where the one
 * fitted geometry teaches a point of it. Deterministic by `seed`.
 */
export function styledDigits(
  style: WriterStyle,
  mnist: SampleSet,
  count: number,
  seed: number,
  warp = 0,
  warps: readonly ElasticField[] = [],
): SampleSet {
  const classes = shuffledByClass(mnist, seed).filter((l) => l.length > 0);
  const images = new Uint8Array(count * PIXEL_COUNT);
  const labels = new Uint8Array(count);
  const bend = createRng(seed + 17);
  for (let k = 0; k < count && classes.length > 0; k++) {
    const list = classes[k % classes.length]!;
    const source = list[Math.floor(k / classes.length) % list.length]!;
    const own = warps.length > 0 ? { ...style, elastic: warps[k % warps.length] } : style;
    const written =
      warp > 0 ? { ...own, elastic: addWarp(own.elastic, randomElastic(bend, warp)) } : own;
    images.set(writeAs(digitAt(mnist, source), written), k * PIXEL_COUNT);
    labels[k] = mnist.labels[source]!;
  }
  return { images, labels, count: classes.length > 0 ? count : 0 };
}

/** The indices of `set`'s digits of each class 0–9, each list in a seeded order. */
export function shuffledByClass(set: SampleSet, seed: number): number[][] {
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (const i of shuffledIndices(set.count, createRng(seed))) byClass[set.labels[i]!]?.push(i);
  return byClass;
}

/** Both warps at once: a field's displacement is the sum of its waves. */
function addWarp(own: ElasticField | undefined, extra: ElasticField): ElasticField {
  return own ? { x: [...own.x, ...extra.x], y: [...own.y, ...extra.y] } : extra;
}

function digitAt(set: SampleSet, i: number): Uint8Array {
  return set.images.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT);
}
