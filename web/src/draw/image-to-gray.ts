/** Pixels as a canvas hands them out: RGBA, row-major, 4 bytes per pixel. */
export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

// ITU-R BT.601 luma, the weights MNIST-era tools used for grayscale.
const R = 0.299;
const G = 0.587;
const B = 0.114;

/**
 * RGBA to grayscale 0-255 with transparent pixels as background. The background is whatever
 * contrasts with the visible ink: white behind dark ink (the drawing pad, a scanned page), black
 * behind light ink (a white-on-transparent PNG), so transparency never turns into ink.
 */
export function rgbaToGray(image: RgbaImage): Uint8Array {
  const { data, width, height } = image;
  const n = width * height;
  if (data.length !== n * 4) {
    throw new RangeError(`expected ${n * 4} RGBA bytes for ${width}×${height}, got ${data.length}`);
  }
  const luma = new Float32Array(n);
  let inkSum = 0;
  let alphaSum = 0;
  let transparent = false;
  for (let i = 0; i < n; i++) {
    const a = data[i * 4 + 3]! / 255;
    luma[i] = R * data[i * 4]! + G * data[i * 4 + 1]! + B * data[i * 4 + 2]!;
    if (a < 1) transparent = true;
    inkSum += luma[i]! * a;
    alphaSum += a;
  }
  const out = new Uint8Array(n);
  if (!transparent) {
    for (let i = 0; i < n; i++) out[i] = Math.round(luma[i]!);
    return out;
  }
  const background = alphaSum > 0 && inkSum / alphaSum > 127 ? 0 : 255;
  for (let i = 0; i < n; i++) {
    const a = data[i * 4 + 3]! / 255;
    out[i] = Math.round(luma[i]! * a + background * (1 - a));
  }
  return out;
}
