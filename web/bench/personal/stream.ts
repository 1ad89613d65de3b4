// The personalization experiment itself, pure: per writer, a stream of digits where each one is
// predicted, answered with its true label, and remembered before the next. The model's outputs
// are computed once per digit (they do not depend on the memory); what the memory adds is the
// browser's own code (src/memory/).
import { argmax, type BlendOptions, type MemoryIndex, normalize } from '../../src/memory/blend';
import { PersonalHead, type HeadOptions, type HeadRow } from '../../src/memory/head';
import { personalize } from '../../src/memory/personalize';

export interface StreamDigit {
  label: number;
  probabilities: Float32Array;
  embedding: Float32Array;
}

export interface StreamResult {
  /** Errors in the second half of the stream: the model alone, and with the memory. */
  errorsWithout: number;
  errorsWith: number;
  judged: number;
}

export interface StreamOptions {
  blend: BlendOptions;
  head: HeadOptions;
}

/** Runs one writer's stream with a memory that grows by each answer. */
export function runStream(digits: StreamDigit[], options: StreamOptions): StreamResult {
  const dim = digits[0]?.embedding.length ?? 0;
  const index: MemoryIndex = {
    dim,
    count: 0,
    vectors: new Float32Array(digits.length * dim),
    labels: new Uint8Array(digits.length),
  };
  const head = new PersonalHead(dim, options.head);
  const rows: HeadRow[] = [];
  const result: StreamResult = { errorsWithout: 0, errorsWith: 0, judged: 0 };
  const half = Math.floor(digits.length / 2);
  digits.forEach((d, i) => {
    const answer = personalize(d.probabilities, d.embedding, { head, index }, options.blend);
    if (i >= half) {
      result.judged++;
      if (argmax(d.probabilities) !== d.label) result.errorsWithout++;
      if (argmax(answer.probabilities) !== d.label) result.errorsWith++;
    }
    index.vectors.set(normalize(d.embedding), index.count * dim);
    index.labels[index.count++] = d.label;
    rows.push({ probabilities: d.probabilities, embedding: d.embedding, label: d.label });
    head.step(rows);
  });
  return result;
}
