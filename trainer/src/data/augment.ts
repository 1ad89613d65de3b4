import * as tf from '@tensorflow/tfjs';

export interface AugmentOptions {
  /** Maximum rotation either way, in degrees. */
  rotationDeg?: number;
  /** Scale range [min, max]. */
  scale?: [number, number];
  /** Maximum shift either way, in pixels, per axis. */
  shiftPx?: number;
  /** Maximum horizontal shear factor either way. */
  shear?: number;
  /** Probability that a sample's strokes are thickened or thinned. */
  thicknessProb?: number;
  /** Which samples to augment (default all); the others pass through exactly. */
  mask?: ArrayLike<boolean>;
  /** Uniform [0, 1) source; pass a seeded one for reproducible runs. */
  random?: () => number;
}

const DEFAULTS = {
  rotationDeg: 15,
  scale: [0.85, 1.15] as [number, number],
  shiftPx: 3,
  shear: 0.15,
  thicknessProb: 0.3,
};
const MAX_ERODE = 0.6; // full erosion can wipe out MNIST's 2-3 px strokes

/** Identity transform row for tf.image.transform (output → input coordinates). */
const IDENTITY = [1, 0, 0, 0, 1, 0, 0, 0];

function between(random: () => number, lo: number, hi: number): number {
  return lo + (hi - lo) * random();
}

/**
 * One random affine as tf.image.transform expects it: the map from output to input pixel
 * coordinates, i.e. the inverse of "shear, scale, rotate about the centre, then shift".
 */
function affineRow(o: typeof DEFAULTS, random: () => number, side: number): number[] {
  const theta = (between(random, -o.rotationDeg, o.rotationDeg) * Math.PI) / 180;
  const s = between(random, o.scale[0], o.scale[1]);
  const sh = between(random, -o.shear, o.shear);
  const [tx, ty] = [between(random, -o.shiftPx, o.shiftPx), between(random, -o.shiftPx, o.shiftPx)];
  const [cos, sin] = [Math.cos(theta), Math.sin(theta)];
  // Forward A = s · R(θ) · [[1, sh], [0, 1]].
  const [a, b, c, d] = [s * cos, s * (cos * sh - sin), s * sin, s * (sin * sh + cos)];
  const det = a * d - b * c;
  const [ia, ib, ic, id] = [d / det, -b / det, -c / det, a / det];
  const centre = (side - 1) / 2;
  const [ux, uy] = [centre + tx, centre + ty];
  return [ia, ib, centre - ia * ux - ib * uy, ic, id, centre - ic * ux - id * uy, 0, 0];
}

/** Per-sample blend weights toward the dilated and the eroded image (at most one non-zero). */
function thicknessWeights(o: typeof DEFAULTS, random: () => number, on: boolean): [number, number] {
  if (!on || random() >= o.thicknessProb) return [0, 0];
  return random() < 0.5 ? [between(random, 0.3, 1), 0] : [0, between(random, 0.2, MAX_ERODE)];
}

/**
 * Randomly thickens or thins strokes (3×3 dilation/erosion, blended) and applies a random
 * affine transform (rotation, scale, shift, shear) to each image of `x` ([n, h, w, 1], values
 * in [0, 1], ink = 1). A pure tensor function: labels are untouched, the result stays in [0, 1],
 * and `x` is not disposed.
 */
export function augmentBatch(x: tf.Tensor4D, opts: AugmentOptions = {}): tf.Tensor4D {
  const o = { ...DEFAULTS, ...opts };
  const random = opts.random ?? Math.random;
  const [n, side] = [x.shape[0], x.shape[1]];
  const rows: number[] = [];
  const dilate: number[] = [];
  const erode: number[] = [];
  for (let i = 0; i < n; i++) {
    const on = opts.mask ? Boolean(opts.mask[i]) : true;
    rows.push(...(on ? affineRow(o, random, side) : IDENTITY));
    const [wd, we] = thicknessWeights(o, random, on);
    dilate.push(wd);
    erode.push(we);
  }
  return tf.tidy(() => {
    const dilated = tf.maxPool(x, 3, 1, 'same');
    const eroded = tf.neg(tf.maxPool(tf.neg(x), 3, 1, 'same'));
    const wd = tf.tensor4d(dilate, [n, 1, 1, 1]);
    const we = tf.tensor4d(erode, [n, 1, 1, 1]);
    const thick = x.add(dilated.sub(x).mul(wd)).add(eroded.sub(x).mul(we)) as tf.Tensor4D;
    const warped = tf.image.transform(thick, tf.tensor2d(rows, [n, 8]), 'bilinear', 'constant', 0);
    return warped.clipByValue(0, 1) as tf.Tensor4D;
  });
}
