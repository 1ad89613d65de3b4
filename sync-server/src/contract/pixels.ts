/** Side of an MNIST image; every model takes SIZE×SIZE×1. */
export const MNIST_SIZE = 28;
/** Bytes in one wire/PNG image: 28×28 row-major, 0 = background, 255 = ink. */
export const PIXEL_COUNT = MNIST_SIZE * MNIST_SIZE;

// 784 bytes = 261 full groups + 1 byte, so canonical base64 is 1048 chars ending in "==".
const BASE64_784 = /^[A-Za-z0-9+/]{1046}==$/;
/** The rule `isPixelPayload` applies, as a regular expression source (for JSON Schema). */
export const PIXELS_BASE64_PATTERN = BASE64_784.source;

/** Encodes 784 grayscale bytes as the base64 `pixels` field of a feedback item. */
export function encodePixels(pixels: Uint8Array): string {
  if (pixels.length !== PIXEL_COUNT) {
    throw new RangeError(`expected ${PIXEL_COUNT} pixel bytes, got ${pixels.length}`);
  }
  let binary = '';
  for (const byte of pixels) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** True when `value` is canonical base64 of exactly 784 bytes. */
export function isPixelPayload(value: string): boolean {
  return BASE64_784.test(value);
}

/** Decodes the `pixels` field; throws a RangeError naming what was expected and what came. */
export function decodePixels(value: string): Uint8Array {
  if (!isPixelPayload(value)) {
    throw new RangeError(
      `expected base64 of exactly ${PIXEL_COUNT} bytes (1048 chars ending in "=="), got ${value.length} chars`,
    );
  }
  const binary = atob(value);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
