export interface Point {
  x: number;
  y: number;
}
export type Stroke = Point[];

/** Everything on the pad, to put back when an answer is undone. */
export interface PadSnapshot {
  strokes: Stroke[];
  image: ImageBitmap | null;
}

/**
 * Paints strokes smoothly: a quadratic curve through the midpoints between samples, so fast
 * pointer moves read as curves rather than polylines. A single tap paints a dot.
 */
export function paintStrokes(ctx: CanvasRenderingContext2D, strokes: Stroke[], width: number) {
  ctx.lineWidth = width;
  ctx.lineCap = 'round';
  ctx.lineJoin = 'round';
  for (const stroke of strokes) {
    const [first, ...rest] = stroke;
    if (!first) continue;
    ctx.beginPath();
    if (rest.length === 0) {
      ctx.arc(first.x, first.y, width / 2, 0, Math.PI * 2);
      ctx.fill();
      continue;
    }
    ctx.moveTo(first.x, first.y);
    for (let i = 0; i < rest.length - 1; i++) {
      const p = rest[i]!;
      const q = rest[i + 1]!;
      ctx.quadraticCurveTo(p.x, p.y, (p.x + q.x) / 2, (p.y + q.y) / 2);
    }
    const last = rest[rest.length - 1]!;
    ctx.lineTo(last.x, last.y);
    ctx.stroke();
  }
}

/** Draws `image` centred and scaled to fit a w×h area. */
export function paintContained(
  ctx: CanvasRenderingContext2D,
  image: ImageBitmap,
  w: number,
  h: number,
): void {
  const scale = Math.min(w / image.width, h / image.height);
  const dw = image.width * scale;
  const dh = image.height * scale;
  ctx.drawImage(image, (w - dw) / 2, (h - dh) / 2, dw, dh);
}

// Large photos are scaled down first: 28×28 is the goal, more pixels only cost time.
const MAX_IMAGE_SIDE = 512;

/** The image's own pixels (not the pad's letterboxed view), at most 512 px on a side. */
export function imagePixels(image: ImageBitmap): ImageData {
  const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(image.width, image.height));
  const w = Math.max(1, Math.round(image.width * scale));
  const h = Math.max(1, Math.round(image.height * scale));
  const canvas = new OffscreenCanvas(w, h);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('this browser cannot read image pixels');
  ctx.drawImage(image, 0, 0, w, h);
  return ctx.getImageData(0, 0, w, h);
}
