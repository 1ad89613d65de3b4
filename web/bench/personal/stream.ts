// The personalization experiment itself: per writer, a stream of digits where each one is
// predicted, answered with its true label, and remembered before the next. What the memory adds
// is the browser's own code (src/memory/): the hand fitted to the answers so far, on the same
// schedule as the app, then the head and the neighbours under the model's view through that hand.
import { argmax, memoryIndex, type BlendOptions, type MemoryIndex } from '../../src/memory/blend';
import {
  applyHand,
  fitHand,
  handKey,
  PLAIN_HAND,
  refitDue,
  sameHand,
  type Hand,
  type HandOptions,
} from '../../src/memory/hand';
import { PersonalHead, type HeadOptions, type HeadRow } from '../../src/memory/head';
import { personalize } from '../../src/memory/personalize';

/** The model's output for one digit. */
export interface View {
  probabilities: Float32Array;
  embedding: Float32Array;
}

export interface StreamDigit {
  pixels: Uint8Array;
  label: number;
}

/** One writer's digits and the model over them; views and fits are cached across runs. */
export interface WriterStream {
  digits: StreamDigit[];
  /** The model's view of every digit of the stream through `hand`. */
  views(hand: Hand): Promise<View[]>;
  /** The hand fitted to the first `count` answers (the plain hand when the fit kept none). */
  fit(count: number, options: HandOptions): Promise<Hand>;
}

export interface StreamResult {
  /** Errors in the second half of the stream: the model alone, and with the memory. */
  errorsWithout: number;
  errorsWith: number;
  judged: number;
  /** The hand in use at the end of the stream. */
  hand: Hand;
}

export interface StreamOptions {
  blend: BlendOptions;
  head: HeadOptions;
  /** Null: no hand (the model sees every digit as drawn). */
  hand: HandOptions | null;
}

/** Runs one writer's stream with a memory that grows by each answer. */
export async function runStream(
  stream: WriterStream,
  options: StreamOptions,
): Promise<StreamResult> {
  const { digits } = stream;
  const plain = await stream.views(PLAIN_HAND);
  let hand: Hand = { ...PLAIN_HAND };
  let views = plain;
  let since: number | null = null;
  const memory = new Learned(plain[0]?.embedding.length ?? 0, options.head);
  const result: StreamResult = { errorsWithout: 0, errorsWith: 0, judged: 0, hand };
  const half = Math.floor(digits.length / 2);
  for (let i = 0; i < digits.length; i++) {
    const d = digits[i]!;
    const view = views[i]!;
    const answer = personalize(view.probabilities, view.embedding, memory.model(), options.blend);
    if (i >= half) {
      result.judged++;
      if (argmax(plain[i]!.probabilities) !== d.label) result.errorsWithout++;
      if (argmax(answer.probabilities) !== d.label) result.errorsWith++;
    }
    memory.remember({ ...view, label: d.label });
    since = since === null ? null : since + 1;
    const count = i + 1;
    if (options.hand && refitDue(count, since, options.hand)) {
      since = 0;
      const fitted = await stream.fit(count, options.hand);
      if (!sameHand(fitted, hand)) {
        hand = fitted;
        views = await stream.views(hand);
        // As the app does when the hand changes: every answer seen again through the new hand.
        memory.relearn(digits.slice(0, count).map((x, j) => ({ ...views[j]!, label: x.label })));
      }
    }
  }
  result.hand = hand;
  return result;
}

/** The head and the neighbour index over the answers so far, as PersonalMemory keeps them. */
class Learned {
  private rows: HeadRow[] = [];
  private head: PersonalHead;
  private index: MemoryIndex;

  constructor(
    private readonly dim: number,
    private readonly options: HeadOptions,
  ) {
    this.head = new PersonalHead(dim, options);
    this.index = memoryIndex([], dim);
  }

  model() {
    return { head: this.head, index: this.index };
  }

  remember(row: HeadRow): void {
    this.rows.push(row);
    this.head.step(this.rows);
    this.reindex();
  }

  relearn(rows: HeadRow[]): void {
    this.rows = rows;
    this.head = PersonalHead.replay(rows, this.dim, this.options);
    this.reindex();
  }

  private reindex(): void {
    this.index = memoryIndex(this.rows, this.dim);
  }
}

/** A `WriterStream` over `digits`, running `run` (the model: probabilities and embeddings). */
export function writerStream(
  digits: StreamDigit[],
  run: (images: Uint8Array[]) => Promise<View[]>,
): WriterStream {
  const views = new Map<string, Promise<View[]>>();
  const fits = new Map<string, Promise<Hand>>();
  return {
    digits,
    views(hand) {
      const k = handKey(hand);
      let v = views.get(k);
      if (!v) {
        v = run(digits.map((d) => applyHand(d.pixels, hand)));
        views.set(k, v);
      }
      return v;
    },
    fit(count, options) {
      const k = `${count} ${JSON.stringify(options)}`;
      let f = fits.get(k);
      if (!f) {
        const classify = async (images: Uint8Array[]) =>
          (await run(images)).map((v) => v.probabilities);
        f = fitHand(digits.slice(0, count), classify, options).then((r) => r?.hand ?? PLAIN_HAND);
        fits.set(k, f);
      }
      return f;
    },
  };
}
