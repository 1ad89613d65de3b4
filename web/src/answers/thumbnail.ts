import { decodePixels } from 'sync-server/contract';

/**
 * Paints 28×28 MNIST pixels (ink = 255) into a canvas as dark ink on white, the way people
 * drew them. The canvas is scaled up by CSS.
 */
export function paintThumbnail(canvas: HTMLCanvasElement, base64: string): void {
  const pixels = decodePixels(base64);
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(28, 28);
  pixels.forEach((ink, i) => {
    const v = 255 - ink;
    image.data.set([v, v, v, 255], i * 4);
  });
  ctx.putImageData(image, 0, 0);
}
