import { PNG } from 'pngjs';

/**
 * Decodes a PNG to one grayscale value per pixel (0-255). pngjs always yields RGBA; colour is
 * reduced by luminance, and transparency is composited over white, the colour of a blank canvas.
 */
export function decodePngGray(buffer: Buffer): { gray: Uint8Array; width: number; height: number } {
  const png = PNG.sync.read(buffer);
  const { width, height, data } = png;
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < gray.length; i++) {
    const [r, g, b, a] = [data[i * 4]!, data[i * 4 + 1]!, data[i * 4 + 2]!, data[i * 4 + 3]!];
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    gray[i] = Math.round((luma * a + 255 * (255 - a)) / 255);
  }
  return { gray, width, height };
}
