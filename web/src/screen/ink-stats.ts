/** An axis-aligned box in image pixels, both ends inclusive. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** What the raw drawing looks like, before `toMnist` rescales it into a digit-sized box. */
export interface InkStats {
  /** The image's shorter side, the unit the rule measures sizes and gaps in. */
  side: number;
  /** Ink pixels, and their share of all pixels. */
  ink: number;
  inkFraction: number;
  /** The box around all ink; null when there is none. */
  box: Box | null;
  /** The boxes of the separate marks (connected ink), specks of under `MIN_MARK_SHARE` left out. */
  marks: Box[];
}

// Ink differs from the background by at least this much (0-255): anti-aliased fringes and
// paper texture stay background.
const INK_CONTRAST = 96;
// Components are found on a grid of at most this many cells a side, so a 512 px photo costs
// what the 336 px pad does; a cell with any ink in it is ink.
const GRID = 56;
/** A mark holding less than this share of the ink is a speck, not a mark. */
export const MIN_MARK_SHARE = 0.08;

/**
 * Measures ink, its box and its separate marks on a grayscale image (0-255, any polarity: the
 * background is the median of the border pixels).
 */
export function inkStats(gray: Uint8Array, width: number, height: number): InkStats {
  const background = borderMedian(gray, width, height);
  const cell = Math.max(1, Math.ceil(Math.max(width, height) / GRID));
  const gw = Math.ceil(width / cell);
  const gh = Math.ceil(height / cell);
  const grid = new Uint8Array(gw * gh);
  let ink = 0;
  let box: Box | null = null;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (Math.abs(gray[y * width + x]! - background) < INK_CONTRAST) continue;
      ink++;
      box = grow(box, x, y, x, y);
      grid[Math.floor(y / cell) * gw + Math.floor(x / cell)] = 1;
    }
  }
  const components = findComponents(grid, gw, gh);
  const inkCells = components.reduce((sum, c) => sum + c.cells, 0);
  const marks = components
    .filter((c) => c.cells >= MIN_MARK_SHARE * inkCells)
    .map(({ box: b }) => ({
      x0: b.x0 * cell,
      y0: b.y0 * cell,
      x1: Math.min(width - 1, (b.x1 + 1) * cell - 1),
      y1: Math.min(height - 1, (b.y1 + 1) * cell - 1),
    }));
  const side = Math.min(width, height);
  return { side, ink, inkFraction: ink / (width * height), box, marks };
}

function grow(box: Box | null, x0: number, y0: number, x1: number, y1: number): Box {
  if (!box) return { x0, y0, x1, y1 };
  return {
    x0: Math.min(box.x0, x0),
    y0: Math.min(box.y0, y0),
    x1: Math.max(box.x1, x1),
    y1: Math.max(box.y1, y1),
  };
}

function borderMedian(gray: Uint8Array, width: number, height: number): number {
  const values: number[] = [];
  for (let x = 0; x < width; x++) values.push(gray[x]!, gray[(height - 1) * width + x]!);
  for (let y = 0; y < height; y++) values.push(gray[y * width]!, gray[y * width + width - 1]!);
  values.sort((a, b) => a - b);
  return values[values.length >> 1] ?? 255;
}

/** 8-connected components of the set cells, with their size and box (in cells). */
function findComponents(grid: Uint8Array, gw: number, gh: number) {
  const seen = new Uint8Array(grid.length);
  const found: { cells: number; box: Box }[] = [];
  for (let start = 0; start < grid.length; start++) {
    if (!grid[start] || seen[start]) continue;
    seen[start] = 1;
    const stack = [start];
    let cells = 0;
    let box: Box | null = null;
    while (stack.length) {
      const i = stack.pop()!;
      const x = i % gw;
      const y = (i - x) / gw;
      cells++;
      box = grow(box, x, y, x, y);
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          const j = ny * gw + nx;
          if (nx < 0 || ny < 0 || nx >= gw || ny >= gh || !grid[j] || seen[j]) continue;
          seen[j] = 1;
          stack.push(j);
        }
      }
    }
    found.push({ cells, box: box! });
  }
  return found;
}
