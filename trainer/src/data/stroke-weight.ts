// A hand's stroke weight, by how thick its strokes are against the references'.
import { MNIST_SIZE } from 'sync-server/contract';
import { writeAs, type WriterStyle } from 'sync-server/writers';
import type { Exemplars, LabelledDigit } from './writer-style';

/** Ink level (0–255) above which a pixel counts as stroke for `strokeThickness`. */
const STROKE_INK = 128;

/**
 * The stroke weight (dilations) whose exemplars, written in `style`'s geometry, have strokes as
 * thick as the answers of their class: the level that minimises the mean squared log ratio of
 * the answers' `strokeThickness` to their class's mean. Cosine similarity alone picks bolder
 * strokes than a hand has, since a bold reference still overlaps an answer whose shape it does
 * not quite match. Total ink, measured before, also counts how long the strokes are, which the
 * geometry changes: at a geometry a little too wide, a narrow, bold hand carries as much ink
 * at one dilation less, and such hands were mostly fitted one too light. Thickness is what a
 * dilation adds to, and depends far less on the width (the `fitStyle` tests on seeded writers).
 */
export function strokeByThickness(
  answers: readonly LabelledDigit[],
  exemplars: Exemplars,
  style: WriterStyle,
): number {
  const warpOnly: WriterStyle = { ...style, stroke: 0 };
  const thickness = answers.map(({ pixels }) => strokeThickness(pixels));
  let best = { stroke: 0, error: Infinity };
  exemplars.byStroke.forEach((references, stroke) => {
    const mean = new Map<number, number>();
    let error = 0;
    answers.forEach(({ label }, i) => {
      let m = mean.get(label);
      if (m === undefined) {
        const written = (references[label] ?? []).map((e) => strokeThickness(writeAs(e, warpOnly)));
        m = written.length ? written.reduce((a, b) => a + b, 0) / written.length : 1;
        mean.set(label, m);
      }
      error += Math.log(thickness[i]! / m) ** 2;
    });
    if (error < best.error) best = { stroke, error };
  });
  return best.stroke;
}

/**
 * How thick a digit's strokes are, in pixels: the mean length of its runs of stroke pixels
 * along the rows and along the columns. A stroke crossed at right angles gives its width, and
 * a digit's many crossings outnumber its few runs along a stroke, which count far more; it is
 * a measure to compare answers with references written alike, not a width. 1 when empty.
 */
export function strokeThickness(digit: Uint8Array): number {
  let [total, runs] = [0, 0];
  const scan = (at: (a: number, b: number) => number) => {
    for (let a = 0; a < MNIST_SIZE; a++) {
      let run = 0;
      for (let b = 0; b <= MNIST_SIZE; b++) {
        if (b < MNIST_SIZE && at(a, b) >= STROKE_INK) run++;
        else if (run > 0) [total, runs, run] = [total + run, runs + 1, 0];
      }
    }
  };
  scan((row, x) => digit[row * MNIST_SIZE + x]!);
  scan((column, y) => digit[y * MNIST_SIZE + column]!);
  return runs > 0 ? total / runs : 1;
}
