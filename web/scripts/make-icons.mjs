// Draws the app icons (a hand-drawn "7" on the theme colour) into public/icons/ with pngjs.
// Run once after changing the design: `node web/scripts/make-icons.mjs`; the PNGs are committed.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'public', 'icons');
const BG = [30, 58, 95];
const INK = [255, 255, 255];
const ACCENT = [250, 204, 21];
// The "7" as strokes in a unit square, with a short tick under it.
const SEVEN = [
  [0.3, 0.28, 0.7, 0.28],
  [0.7, 0.28, 0.47, 0.72],
];
const TICK = [[0.38, 0.86, 0.62, 0.86]];

function segmentDistance(px, py, [x0, y0, x1, y1]) {
  const dx = x1 - x0,
    dy = y1 - y0;
  const t = Math.max(0, Math.min(1, ((px - x0) * dx + (py - y0) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (x0 + t * dx), py - (y0 + t * dy));
}

/** Coverage (0-1) of shapes at a pixel, 4×4 supersampled for anti-aliasing. */
function coverage(size, x, y, inside) {
  let hits = 0;
  for (let sy = 0; sy < 4; sy++)
    for (let sx = 0; sx < 4; sx++)
      if (inside((x + (sx + 0.5) / 4) / size, (y + (sy + 0.5) / 4) / size)) hits++;
  return hits / 16;
}

function icon(size, { maskable }) {
  const png = new PNG({ width: size, height: size });
  // Maskable icons fill the square; the glyph stays inside the 80 % safe circle.
  const glyphScale = maskable ? 0.72 : 1;
  const g = (u) => 0.5 + (u - 0.5) * glyphScale;
  const r = 0.2;
  const inTile = (u, v) => {
    if (maskable) return true;
    const cx = Math.min(Math.max(u, r), 1 - r),
      cy = Math.min(Math.max(v, r), 1 - r);
    return Math.hypot(u - cx, v - cy) <= r;
  };
  const inStroke = (segs, width) => (u, v) =>
    segs.some((s) => segmentDistance(u, v, s.map(g)) <= (width * glyphScale) / 2);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const tile = coverage(size, x, y, inTile);
      const ink = coverage(size, x, y, inStroke(SEVEN, 0.12));
      const tick = coverage(size, x, y, inStroke(TICK, 0.06));
      const i = (y * size + x) * 4;
      for (let c = 0; c < 3; c++) {
        const base = BG[c] * (1 - tick) + ACCENT[c] * tick;
        png.data[i + c] = Math.round(base * (1 - ink) + INK[c] * ink);
      }
      png.data[i + 3] = Math.round(255 * tile);
    }
  }
  return PNG.sync.write(png);
}

fs.mkdirSync(OUT, { recursive: true });
for (const [name, size, maskable] of [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['maskable-512.png', 512, true],
  ['apple-touch-icon-180.png', 180, true],
  ['favicon-64.png', 64, false],
]) {
  fs.writeFileSync(path.join(OUT, name), icon(size, { maskable }));
}
