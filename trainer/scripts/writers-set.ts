import { PIXEL_COUNT } from 'sync-server/contract';
import {
  createRng,
  randomWriter,
  writeAs,
  type ElasticField,
  type WriterStyle,
} from 'sync-server/writers';
import { shuffledIndices, type SampleSet } from '../src/train';

export interface WritersOptions {
  writers: number;
  /** Answers each writer gives (fed to the retrain). */
  answers: number;
  /** Other digits of each writer, judged before and after. */
  judged: number;
  seed: number;
  /**
   * How far each writer's geometry strays from MNIST, 1 as drawn: rotation, slant, the aspect's
   * distance from 1 and the elastic amplitudes are scaled by it (stroke weight is not).
   */
  strength?: number;
}

export interface WritersSets {
  /** Writer-major: writer w's answers are `w·answers … (w+1)·answers − 1`. */
  feedback: SampleSet;
  judged: SampleSet;
  /** Each writer's geometry (`describeStyle` puts it in words). */
  hands: WriterStyle[];
}

/**
 * Feedback and judged digits from the same synthetic writers (one fixed style each, see
 * sync-server/writers): answers come from MNIST test digits 0–4999, judged digits from
 * 5000–9999, so no source digit is both trained on and judged, and every writer's judged
 * digits are other digits written the same way.
 */
export function writersSets(test: SampleSet, o: WritersOptions): WritersSets {
  const half = test.count / 2;
  if (o.writers * Math.max(o.answers, o.judged) > half) {
    throw new Error(
      `${o.writers} writers × ${Math.max(o.answers, o.judged)} exceed ${half} digits`,
    );
  }
  const random = createRng(o.seed);
  const styles = Array.from({ length: o.writers }, () =>
    scaleStyle(randomWriter(random), o.strength ?? 1),
  );
  const feedOrder = shuffledIndices(half, createRng(o.seed + 1));
  const judgeOrder = shuffledIndices(half, createRng(o.seed + 2));
  const write = (perWriter: number, order: Uint32Array, offset: number): SampleSet => {
    const count = o.writers * perWriter;
    const images = new Uint8Array(count * PIXEL_COUNT);
    const labels = new Uint8Array(count);
    for (let i = 0; i < count; i++) {
      const source = offset + order[i]!;
      const digit = test.images.subarray(source * PIXEL_COUNT, (source + 1) * PIXEL_COUNT);
      images.set(writeAs(digit, styles[Math.floor(i / perWriter)]!), i * PIXEL_COUNT);
      labels[i] = test.labels[source]!;
    }
    return { images, labels, count };
  };
  return {
    feedback: write(o.answers, feedOrder, 0),
    judged: write(o.judged, judgeOrder, half),
    hands: styles,
  };
}

/** `style` strayed `k` times as far from MNIST's plain geometry (see `WritersOptions.strength`). */
export function scaleStyle(style: WriterStyle, k: number): WriterStyle {
  if (k === 1) return style;
  const waves = (list: ElasticField['x']) =>
    list.map(([a, fx, fy, phase]): [number, number, number, number] => [a * k, fx, fy, phase]);
  return {
    ...style,
    rotationDeg: style.rotationDeg * k,
    slant: style.slant * k,
    aspect: 1 + (style.aspect - 1) * k,
    ...(style.elastic && { elastic: { x: waves(style.elastic.x), y: waves(style.elastic.y) } }),
  };
}
