// Writers: one fixed geometry per writer (slant, rotation, aspect, stroke width and, optionally,
// a smooth elastic warp) applied to an MNIST digit, then the contract's toMnist as every digit
// reaching the model. The trainer's retrain fits such a geometry to a client's answers and
// writes MNIST digits in it (trainer/src/data/writer-style.ts); the benches that ask whether
// the system learns a person's handwriting (web's personal memory, the trainer's replay) draw
// seeded synthetic writers from it. Pure pixel code, imported as `sync-server/writers`.
import { toMnist } from './mnist-format';
import { MNIST_SIZE, PIXEL_COUNT } from './pixels';

export interface WriterStyle {
  rotationDeg: number;
  /** Horizontal shift per row below the centre (a slant); 0.3 leans the top 30 % right. */
  slant: number;
  /** Width / height scale; below 1 narrower. */
  aspect: number;
  /** 3×3 dilations: each makes strokes about 2 px bolder. */
  stroke: number;
  /** A smooth displacement field fixed for the writer (absent: none). */
  elastic?: ElasticField;
}

/**
 * A smooth warp: the sum of a few low-frequency sine waves per axis, in pixels. Low frequencies
 * bend whole strokes the same way on every digit, as a person's habit does, unlike per-sample
 * noise.
 */
export interface ElasticField {
  /** Per wave: [amplitude px, cycles across x, cycles across y, phase]; one list per axis. */
  x: Array<[number, number, number, number]>;
  y: Array<[number, number, number, number]>;
}

/**
 * A small seeded uniform [0, 1) generator (mulberry32): the same writers on every run. The
 * trainer draws its shuffles and augmentation from it too, so a run is reproducible from its seed.
 */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomStyle(random: () => number): WriterStyle {
  const sign = () => (random() < 0.5 ? -1 : 1);
  return {
    rotationDeg: sign() * (8 + random() * 20),
    slant: sign() * (0.15 + random() * 0.35),
    aspect: random() < 0.5 ? 0.55 + random() * 0.3 : 1.2 + random() * 0.4,
    stroke: Math.floor(random() * 3),
  };
}

/** Waves per axis in `randomElastic`; few enough to stay smooth across 28 px. */
const ELASTIC_WAVES = 3;

/** A seeded elastic field whose displacement stays within about `amplitude` px. */
export function randomElastic(random: () => number, amplitude = 1.5): ElasticField {
  const wave = (): [number, number, number, number] => [
    (amplitude / ELASTIC_WAVES) * (0.5 + random()),
    0.3 + random() * 1.2,
    0.3 + random() * 1.2,
    random() * 2 * Math.PI,
  ];
  const axis = () => Array.from({ length: ELASTIC_WAVES }, wave);
  return { x: axis(), y: axis() };
}

/**
 * A writer unlike MNIST for the trainer's replay: `randomStyle` plus an elastic field. Drawn
 * after the style, so a seed gives the personal bench's writers the same affine part.
 */
export function randomWriter(random: () => number): WriterStyle {
  const style = randomStyle(random);
  return { ...style, elastic: randomElastic(random) };
}

function displacement(waves: ElasticField['x'], x: number, y: number): number {
  let d = 0;
  for (const [a, fx, fy, phase] of waves) {
    d += a * Math.sin((2 * Math.PI * (fx * x + fy * y)) / MNIST_SIZE + phase);
  }
  return d;
}

export function describeStyle(s: WriterStyle): string {
  const stroke = s.stroke === 0 ? 'normal' : `bold ×${s.stroke}`;
  const elastic = s.elastic ? ', elastic' : '';
  return `rot ${s.rotationDeg.toFixed(0)}°, slant ${s.slant.toFixed(2)}, aspect ${s.aspect.toFixed(2)}, ${stroke}${elastic}`;
}

const at = (img: Uint8Array, x: number, y: number) =>
  x < 0 || y < 0 || x >= MNIST_SIZE || y >= MNIST_SIZE ? 0 : img[y * MNIST_SIZE + x]!;

/** 3×3 grey dilation (max filter): strokes about 2 px bolder. */
export function dilate(img: Uint8Array): Uint8Array {
  const out = new Uint8Array(PIXEL_COUNT);
  for (let y = 0; y < MNIST_SIZE; y++) {
    for (let x = 0; x < MNIST_SIZE; x++) {
      let v = img[y * MNIST_SIZE + x]!;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++) v = Math.max(v, at(img, x + dx, y + dy));
      out[y * MNIST_SIZE + x] = v;
    }
  }
  return out;
}

/** The affine part of a style (and its elastic field, when it has one). */
export type Geometry = Pick<WriterStyle, 'rotationDeg' | 'slant' | 'aspect' | 'elastic'>;

/**
 * Bilinear sampling of `img` through the inverse of rotate · slant · aspect about the centre:
 * the digit with the aspect applied first, then the slant, then the rotation. Not normalized
 * (see `writeAs`). The web's personal memory undoes a writer's hand with it (web/src/memory/hand.ts).
 */
export function warp(img: Uint8Array, s: Geometry): Uint8Array {
  const out = new Uint8Array(PIXEL_COUNT);
  const t = (s.rotationDeg * Math.PI) / 180;
  const [cos, sin] = [Math.cos(t), Math.sin(t)];
  const c = (MNIST_SIZE - 1) / 2;
  for (let y = 0; y < MNIST_SIZE; y++) {
    for (let x = 0; x < MNIST_SIZE; x++) {
      // Undo the rotation, then the slant, then the aspect: where this pixel comes from.
      const rx = cos * (x - c) + sin * (y - c);
      const ry = -sin * (x - c) + cos * (y - c);
      let sx = (rx - s.slant * ry) / s.aspect + c;
      let sy = ry + c;
      if (s.elastic) {
        [sx, sy] = [sx + displacement(s.elastic.x, x, y), sy + displacement(s.elastic.y, x, y)];
      }
      const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
      const [fx, fy] = [sx - x0, sy - y0];
      const top = at(img, x0, y0) * (1 - fx) + at(img, x0 + 1, y0) * fx;
      const bottom = at(img, x0, y0 + 1) * (1 - fx) + at(img, x0 + 1, y0 + 1) * fx;
      out[y * MNIST_SIZE + x] = Math.round(top * (1 - fy) + bottom * fy);
    }
  }
  return out;
}

/** Bilinear rotation by `deg` about the image centre; outside samples are background. */
export function rotate(img: Uint8Array, deg: number): Uint8Array {
  return warp(img, { rotationDeg: deg, slant: 0, aspect: 1 });
}

/** One MNIST digit as this writer would write it, normalized like the app's input. */
export function writeAs(digit: Uint8Array, style: WriterStyle): Uint8Array {
  let img = digit;
  for (let i = 0; i < style.stroke; i++) img = dilate(img);
  return toMnist(warp(img, style), MNIST_SIZE, MNIST_SIZE);
}
