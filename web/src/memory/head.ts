// The per-device head: a correction of the global model's last layer, learned in the page from
// the user's own answers. Pure (no tfjs), shared by the browser and the Node bench.
//
// The global model ends in softmax(e·W + b) over its penultimate embedding e. The head adds
// e·ΔW + Δb to the model's logits, which equals softmax(log p + e·ΔW + Δb): it needs only the
// model's probabilities p and e, never the model's weights. ΔW starts at zero (the global
// model exactly) and its L2 penalty keeps the device's model near the global one (L2-SP).
// Each remembered answer takes one full-batch gradient step over the whole memory.

export interface HeadOptions {
  learningRate: number;
  /** Weight of ½‖ΔW‖² + ½‖Δb‖² in the loss: larger keeps closer to the global model. */
  l2: number;
}

// Chosen before the hand (hand.ts) with the bench's `--sweep` as it was at e295bfe, which swept
// these; today's sweep checks them again with the hand, and neighbouring values did about as well.
export const HEAD_DEFAULTS: Readonly<HeadOptions> = { learningRate: 0.05, l2: 0.3 };

/** One remembered answer as the head learns from it. */
export interface HeadRow {
  /** The global model's probabilities for this digit. */
  probabilities: Float32Array;
  /** Its penultimate-layer embedding (raw, not normalized: the head is linear in it). */
  embedding: Float32Array;
  label: number;
}

export interface HeadState {
  weights: Float32Array;
  bias: Float32Array;
}

const CLASSES = 10;
const FLOOR = 1e-7;

export class PersonalHead {
  readonly weights: Float32Array;
  readonly bias = new Float32Array(CLASSES);

  constructor(
    readonly dim: number,
    private readonly options: HeadOptions = HEAD_DEFAULTS,
  ) {
    this.weights = new Float32Array(dim * CLASSES);
  }

  /** The model's probabilities corrected for this device. */
  apply(probabilities: Float32Array, embedding: Float32Array): Float32Array {
    const logits = new Float32Array(CLASSES);
    for (let c = 0; c < CLASSES; c++) logits[c] = Math.log(Math.max(probabilities[c]!, FLOOR));
    for (let i = 0; i < this.dim; i++) {
      const x = embedding[i]!;
      if (x === 0) continue; // ReLU features: often zero
      const row = i * CLASSES;
      for (let c = 0; c < CLASSES; c++) logits[c]! += x * this.weights[row + c]!;
    }
    for (let c = 0; c < CLASSES; c++) logits[c]! += this.bias[c]!;
    return softmax(logits);
  }

  /** One gradient step of mean cross-entropy over `rows`, plus the L2 pull toward zero. */
  step(rows: readonly HeadRow[]): void {
    if (!rows.length) return;
    const gradW = new Float32Array(this.weights.length);
    const gradB = new Float32Array(CLASSES);
    for (const row of rows) {
      const q = this.apply(row.probabilities, row.embedding);
      q[row.label]! -= 1;
      for (let c = 0; c < CLASSES; c++) gradB[c]! += q[c]!;
      for (let i = 0; i < this.dim; i++) {
        const x = row.embedding[i]!;
        if (x === 0) continue;
        for (let c = 0; c < CLASSES; c++) gradW[i * CLASSES + c]! += x * q[c]!;
      }
    }
    const { learningRate: lr, l2 } = this.options;
    const n = rows.length;
    for (let j = 0; j < this.weights.length; j++) {
      this.weights[j]! -= lr * (gradW[j]! / n + l2 * this.weights[j]!);
    }
    for (let c = 0; c < CLASSES; c++) this.bias[c]! -= lr * (gradB[c]! / n + l2 * this.bias[c]!);
  }

  /** A copy of the weights, for `restore`. */
  save(): HeadState {
    return { weights: this.weights.slice(), bias: this.bias.slice() };
  }

  /** Back to weights from `save` (an undone answer's step taken back exactly). */
  restore(state: HeadState): void {
    this.weights.set(state.weights);
    this.bias.set(state.bias);
  }

  /** A head learned from `rows` in order, as if each had just been answered. */
  static replay(rows: readonly HeadRow[], dim: number, options?: HeadOptions): PersonalHead {
    const head = new PersonalHead(dim, options);
    for (let i = 1; i <= rows.length; i++) head.step(rows.slice(0, i));
    return head;
  }
}

export function softmax(logits: Float32Array): Float32Array {
  let max = -Infinity;
  for (const z of logits) max = Math.max(max, z);
  const out = logits.map((z) => Math.exp(z - max));
  const sum = out.reduce((a, b) => a + b, 0);
  return out.map((v) => v / sum);
}
