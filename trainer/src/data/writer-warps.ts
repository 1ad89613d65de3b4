// A hand's warp: the likeliest of many random smooth warps, for a geometry `fitStyle` found.
import { randomElastic, type ElasticField, type WriterStyle } from 'sync-server/writers';
import { createRng } from '../train/rng';
import {
  fitStyle,
  similarity,
  type Exemplars,
  type LabelledDigit,
  type StyleFit,
} from './writer-style';

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
