import { MNIST_SIZE, PIXEL_COUNT } from 'sync-server/contract';
import {
  dilate,
  randomElastic,
  writeAs,
  type ElasticField,
  type WriterStyle,
} from 'sync-server/writers';
import type { SampleSet } from '../train/batch';
import { createRng, shuffledIndices } from '../train/rng';

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

/** Random warps a hand's own is looked for among, each time `fitWarps` draws. */
export const WARP_CANDIDATES = 40;
/**
 * Sizes of the candidate warps, in turn (px, `randomElastic`'s amplitude): a mild hand's own
 * warp is smaller than a harsh one's, and likeness picks the size too.
 */
export const WARP_AMPLITUDES = [0.75, 1.5];

export interface WarpFit {
  /**
   * The hand's fit: its geometry searched again from the likeliest warp, scored without a warp
   * (as `fitStyle` scores its own); or the fit given, when no warps are kept.
   */
  fit: StyleFit;
  /** The warps that make that geometry fit the answers better still, likeliest first. */
  warps: ElasticField[];
}

/**
 * The likeliest of many random smooth warps for a hand whose geometry `fitStyle` found:
 * a hand's own warp cannot be fitted from a few answers (a coarse displacement grid, or a few
 * waves per axis, fitted the answers and not the hand), but among random warps of the same
 * size it mostly scores near the top when the geometry is right (the `fitWarps` test on
 * seeded writers). A geometry fitted without any warp has absorbed some of the hand's warp, so
 * it is searched again from the likeliest warp of `WARP_CANDIDATES`, and the warps are then
 * drawn and scored again under the new geometry: the `keep` likeliest are kept, when that
 * many fit the answers better than no warp; otherwise none, and the fit as it was.
 * Deterministic by `seed`.
 */
export function fitWarps(
  answers: readonly LabelledDigit[],
  exemplars: Exemplars,
  fit: StyleFit,
  keep: number,
  seed: number,
): WarpFit {
  const random = createRng(seed);
  const draw = () =>
    Array.from({ length: WARP_CANDIDATES }, (_, i) =>
      randomElastic(random, WARP_AMPLITUDES[i % WARP_AMPLITUDES.length]),
    );
  const first = likeliestWarps(fit.style, draw(), answers, exemplars)[0]!;
  const { elastic: _absorbed, ...style } = fitStyle(answers, exemplars, {
    ...fit.style,
    elastic: first.elastic,
  }).style;
  const plain = similarity(style, answers, exemplars);
  const warps = likeliestWarps(style, [first.elastic, ...draw()], answers, exemplars)
    .filter((w) => w.similarity > plain)
    .slice(0, keep)
    .map((w) => w.elastic);
  // Few warps beat none: the answers show no warp to speak of, and digits bent by those few
  // would teach an accident of them.
  if (warps.length < keep) return { fit, warps: [] };
  return { fit: { ...fit, style, similarity: plain }, warps };
}

/** `warps` with the likeness of `style` bent by each, likeliest first. */
export function likeliestWarps(
  style: WriterStyle,
  warps: readonly ElasticField[],
  answers: readonly LabelledDigit[],
  exemplars: Exemplars,
): Array<{ elastic: ElasticField; similarity: number }> {
  return warps
    .map((elastic) => ({
      elastic,
      similarity: similarity({ ...style, elastic }, answers, exemplars),
    }))
    .sort((a, b) => b.similarity - a.similarity);
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

/** Most times the weight is measured and the geometry searched again (`fitStyle`). */
const STROKE_ROUNDS = 3;
/** Ink level (0–255) above which a pixel counts as stroke for `strokeThickness`. */
const STROKE_INK = 128;

/**
 * The stroke weight (dilations) whose exemplars, written in `style`'s geometry, have strokes as
 * thick as the answers of their class: the level that minimises the mean squared log ratio of
 * the answers' `strokeThickness` to their class's mean. Cosine similarity alone picks bolder
 * strokes than a hand has, since a bold reference still overlaps an answer whose shape it does
 * not quite match. Total ink, measured before, also counts how long the strokes are, which the
 * geometry changes: at a geometry a little too wide, a narrow, bold hand carries as much ink
 * at one dilation less, and such hands were mostly fitted one too light. Thickness is what a
 * dilation adds to, and depends far less on the width (the `fitStyle` tests on seeded writers).
 */
export function strokeByThickness(
  answers: readonly LabelledDigit[],
  exemplars: Exemplars,
  style: WriterStyle,
): number {
  const warpOnly: WriterStyle = { ...style, stroke: 0 };
  const thickness = answers.map(({ pixels }) => strokeThickness(pixels));
  let best = { stroke: 0, error: Infinity };
  exemplars.byStroke.forEach((references, stroke) => {
    const mean = new Map<number, number>();
    let error = 0;
    answers.forEach(({ label }, i) => {
      let m = mean.get(label);
      if (m === undefined) {
        const written = (references[label] ?? []).map((e) => strokeThickness(writeAs(e, warpOnly)));
        m = written.length ? written.reduce((a, b) => a + b, 0) / written.length : 1;
        mean.set(label, m);
      }
      error += Math.log(thickness[i]! / m) ** 2;
    });
    if (error < best.error) best = { stroke, error };
  });
  return best.stroke;
}

/**
 * How thick a digit's strokes are, in pixels: the mean length of its runs of stroke pixels
 * along the rows and along the columns. A stroke crossed at right angles gives its width, and
 * a digit's many crossings outnumber its few runs along a stroke, which count far more; it is
 * a measure to compare answers with references written alike, not a width. 1 when empty.
 */
export function strokeThickness(digit: Uint8Array): number {
  let [total, runs] = [0, 0];
  const scan = (at: (a: number, b: number) => number) => {
    for (let a = 0; a < MNIST_SIZE; a++) {
      let run = 0;
      for (let b = 0; b <= MNIST_SIZE; b++) {
        if (b < MNIST_SIZE && at(a, b) >= STROKE_INK) run++;
        else if (run > 0) [total, runs, run] = [total + run, runs + 1, 0];
      }
    }
  };
  scan((row, x) => digit[row * MNIST_SIZE + x]!);
  scan((column, y) => digit[y * MNIST_SIZE + column]!);
  return runs > 0 ? total / runs : 1;
}

function similarity(
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
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (const i of shuffledIndices(mnist.count, createRng(seed))) byClass[mnist.labels[i]!]?.push(i);
  const classes = byClass.filter((l) => l.length > 0);
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

/** Both warps at once: a field's displacement is the sum of its waves. */
function addWarp(own: ElasticField | undefined, extra: ElasticField): ElasticField {
  return own ? { x: [...own.x, ...extra.x], y: [...own.y, ...extra.y] } : extra;
}

function digitAt(set: SampleSet, i: number): Uint8Array {
  return set.images.subarray(i * PIXEL_COUNT, (i + 1) * PIXEL_COUNT);
}
