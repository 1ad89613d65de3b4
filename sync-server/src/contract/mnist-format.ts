import { MNIST_SIZE, PIXEL_COUNT } from './pixels';

/** Longest side of the digit inside the 28×28 field, as in MNIST. */
export const DIGIT_BOX = 20;
// Ink below this share of the strongest ink does not count toward the bounding box.
const INK_SHARE = 0.15;
// Below this contrast (0-255) between ink and background the image counts as empty.
const MIN_CONTRAST = 24;

export class EmptyImageError extends Error {
  constructor(message = 'no ink found: draw a digit or choose an image with one') {
    super(message);
    this.name = 'EmptyImageError';
  }
}

/**
 * The one definition of the pixel format: any grayscale image (values 0-255, row-major) to
 * MNIST's 28×28 with ink = 255. Inverts dark-on-light images, removes the background level,
 * crops to the ink, fits the longer side to 20 px with area-averaging (anti-aliasing), centres
 * by centre of mass and stretches so the strongest ink is 255. Throws EmptyImageError.
 */
export function toMnist(gray: ArrayLike<number>, width: number, height: number): Uint8Array {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new RangeError(`image size must be positive integers, got ${width}×${height}`);
  }
  if (gray.length !== width * height) {
    throw new RangeError(
      `expected ${width * height} pixels for ${width}×${height}, got ${gray.length}`,
    );
  }
  const ink = toInk(gray, width, height);
  const box = inkBox(ink, width, height);
  const scale = DIGIT_BOX / Math.max(box.w, box.h);
  const w = Math.max(1, Math.round(box.w * scale));
  const h = Math.max(1, Math.round(box.h * scale));
  const digit = resizeArea(ink, width, box, w, h);
  return stretch(centre(digit, w, h));
}

/** Ink strength per pixel (0 = background), inverted when the border is brighter than 50%. */
function toInk(gray: ArrayLike<number>, width: number, height: number): Float32Array {
  const border = borderValues(gray, width, height).sort((a, b) => a - b);
  const median = border[border.length >> 1] ?? 0;
  const invert = median > 127;
  const bg = invert ? 255 - median : median;
  const out = new Float32Array(gray.length);
  for (let i = 0; i < gray.length; i++) {
    const v = Math.min(255, Math.max(0, Number(gray[i]) || 0));
    out[i] = Math.max(0, (invert ? 255 - v : v) - bg);
  }
  return out;
}

function borderValues(gray: ArrayLike<number>, width: number, height: number): number[] {
  const values: number[] = [];
  for (let x = 0; x < width; x++) values.push(gray[x]!, gray[(height - 1) * width + x]!);
  for (let y = 1; y < height - 1; y++) values.push(gray[y * width]!, gray[y * width + width - 1]!);
  return values;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function inkBox(ink: Float32Array, width: number, height: number): Box {
  let max = 0;
  for (const v of ink) if (v > max) max = v;
  if (max < MIN_CONTRAST) throw new EmptyImageError();
  const cut = max * INK_SHARE;
  let x0 = width,
    y0 = height,
    x1 = -1,
    y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (ink[y * width + x]! <= cut) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
  }
  return { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** Area-averaging resize of `box` in `src` to w×h: each output pixel is the mean it covers. */
function resizeArea(
  src: Float32Array,
  srcWidth: number,
  box: Box,
  w: number,
  h: number,
): Float32Array {
  const out = new Float32Array(w * h);
  const sx = box.w / w,
    sy = box.h / h;
  for (let oy = 0; oy < h; oy++) {
    const fy0 = oy * sy,
      fy1 = fy0 + sy;
    for (let ox = 0; ox < w; ox++) {
      const fx0 = ox * sx,
        fx1 = fx0 + sx;
      let sum = 0,
        area = 0;
      // Clamped: float error can push ceil(fy1) one past the box, and past the image when the
      // ink touches its edge, where a read would give undefined (NaN) and lose the digit.
      for (let y = Math.floor(fy0); y < Math.min(box.h, Math.ceil(fy1)); y++) {
        const cy = Math.min(fy1, y + 1) - Math.max(fy0, y);
        for (let x = Math.floor(fx0); x < Math.min(box.w, Math.ceil(fx1)); x++) {
          const c = cy * (Math.min(fx1, x + 1) - Math.max(fx0, x));
          sum += c * src[(box.y + y) * srcWidth + box.x + x]!;
          area += c;
        }
      }
      out[oy * w + ox] = sum / area;
    }
  }
  return out;
}

/** Pastes the w×h digit into 28×28 so its centre of mass lands on the field's centre. */
function centre(digit: Float32Array, w: number, h: number): Float32Array {
  let mass = 0,
    mx = 0,
    my = 0;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = digit[y * w + x]!;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  const dx = Math.round(MNIST_SIZE / 2 - mx / mass);
  const dy = Math.round(MNIST_SIZE / 2 - my / mass);
  const out = new Float32Array(PIXEL_COUNT);
  for (let y = 0; y < h; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= MNIST_SIZE) continue;
    for (let x = 0; x < w; x++) {
      const tx = x + dx;
      if (tx >= 0 && tx < MNIST_SIZE) out[ty * MNIST_SIZE + tx] = digit[y * w + x]!;
    }
  }
  return out;
}

function stretch(field: Float32Array): Uint8Array {
  let max = 0;
  for (const v of field) if (v > max) max = v;
  const out = new Uint8Array(PIXEL_COUNT);
  if (max <= 0) throw new EmptyImageError();
  for (let i = 0; i < PIXEL_COUNT; i++) out[i] = Math.round((field[i]! * 255) / max);
  return out;
}

/** Centre of mass (x, y) of a 28×28 image, in pixel-centre coordinates (14 = middle). */
export function centreOfMass(pixels: ArrayLike<number>): { x: number; y: number } {
  let mass = 0,
    mx = 0,
    my = 0;
  for (let i = 0; i < PIXEL_COUNT; i++) {
    const v = pixels[i]!;
    mass += v;
    mx += v * ((i % MNIST_SIZE) + 0.5);
    my += v * (Math.floor(i / MNIST_SIZE) + 0.5);
  }
  return { x: mx / mass, y: my / mass };
}
