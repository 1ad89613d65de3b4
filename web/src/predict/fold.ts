// Inference without the Layers API's per-call bookkeeping: a sequential CNN becomes a list of
// plain tfjs-core ops, with every BatchNormalization folded into the convolution (or dense
// layer) before it and the ReLU fused into the same kernel. On one wasm thread this halves the
// time of a single prediction; the answers are the same up to float rounding.
import {
  add,
  avgPool,
  concat,
  dispose,
  fused,
  maxPool,
  mean,
  mul,
  neg,
  relu,
  reshape,
  rsqrt,
  softmax,
  tidy,
  type Tensor,
  type Tensor1D,
  type Tensor2D,
  type Tensor4D,
} from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** What the app predicts with: a folded network, or the layers model itself. */
export interface InferenceModel {
  predict(x: Tensor): Tensor;
  /**
   * `[N, 10 + D]`: the probabilities, then the penultimate layer's D values (the input of the
   * final softmax Dense), in one tensor so a prediction reads back once. Null when the model
   * was not folded (its layers are not known here).
   */
  readonly predictWithEmbedding: ((x: Tensor) => Tensor) | null;
  dispose(): void;
  /** True when the model was folded into plain ops. */
  readonly folded: boolean;
}

type Step = (x: Tensor) => Tensor;
type Activation = 'linear' | 'relu';
type Config = Record<string, unknown>;
interface Layer {
  getClassName(): string;
  getConfig(): Config;
  getWeights(): Tensor[];
  readonly outputShape: unknown;
}

const FOLDABLE_ACTIVATIONS = new Set(['linear', 'relu']);

/** `[scale, shift]` of an inference-mode BatchNormalization over the last axis. */
function batchNormAffine(layer: Layer): [Tensor1D, Tensor1D] | null {
  const config = layer.getConfig();
  // Only a BatchNorm over channels (the last axis) folds into the layer before it.
  const rank = Array.isArray(layer.outputShape) ? layer.outputShape.length : 0;
  const axis =
    typeof config.axis === 'number' && config.axis < 0 ? config.axis + rank : config.axis;
  if (rank < 2 || axis !== rank - 1) return null;
  const weights = [...layer.getWeights()];
  const gamma = config.scale === false ? null : weights.shift();
  const beta = config.center === false ? null : weights.shift();
  const [movingMean, movingVariance] = weights;
  if (!movingMean || !movingVariance) return null;
  const epsilon = typeof config.epsilon === 'number' ? config.epsilon : 1e-3;
  return tidy((): [Tensor1D, Tensor1D] => {
    let scale: Tensor = rsqrt(add(movingVariance, epsilon));
    if (gamma) scale = mul(scale, gamma);
    let shift: Tensor = neg(mul(movingMean, scale));
    if (beta) shift = add(shift, beta);
    return [scale as Tensor1D, shift as Tensor1D];
  });
}

function activationOf(config: Config): Activation | null {
  const name = config.activation ?? 'linear';
  return typeof name === 'string' && FOLDABLE_ACTIVATIONS.has(name) ? (name as Activation) : null;
}

/** The layer works on NHWC tensors, the only layout folded here. */
function channelsLast(config: Config): boolean {
  return config.dataFormat === undefined || config.dataFormat === 'channelsLast';
}

function pair(value: unknown): [number, number] | null {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    return [value[0] as number, value[1] as number];
  }
  return null;
}

class Folder {
  readonly steps: Step[] = [];
  readonly owned: Tensor[] = [];
  /** Index of the step of the last Dense so far: the head, once the stack ends in a softmax. */
  lastDenseAt: number | null = null;
  softmaxed = false;

  constructor(private readonly layers: Layer[]) {}

  /** Folds every layer; false at the first one it does not know, or a config it cannot fold. */
  run(): boolean {
    for (let i = 0; i < this.layers.length; i++) {
      if (this.softmaxed) return false; // Only the last step may be a softmax.
      const used = this.fold(i);
      if (used === 0) return false;
      i += used - 1;
    }
    return true;
  }

  private own<T extends Tensor>(t: T): T {
    this.owned.push(t);
    return t;
  }

  /** Folds the layer at `i` (and a BatchNormalization/ReLU after it); the count of layers used. */
  private fold(i: number): number {
    const layer = this.layers[i]!;
    const config = layer.getConfig();
    switch (layer.getClassName()) {
      case 'InputLayer':
      case 'Dropout':
      case 'SpatialDropout2D':
        this.steps.push((x) => x);
        return 1;
      case 'Conv2D':
        return this.foldConv(i, config);
      case 'Dense':
        return this.foldDense(i, config);
      case 'BatchNormalization': {
        const affine = batchNormAffine(layer);
        if (!affine) return 0;
        const [scale, shift] = affine.map((t) => this.own(t));
        this.steps.push((x) => add(mul(x, scale!), shift!));
        return 1;
      }
      case 'Activation':
        return this.foldActivation(config);
      case 'MaxPooling2D':
      case 'AveragePooling2D': {
        const size = pair(config.poolSize);
        const strides = pair(config.strides ?? config.poolSize);
        const pad = config.padding;
        if (!size || !strides || (pad !== 'valid' && pad !== 'same')) return 0;
        if (!channelsLast(config)) return 0;
        const pool = layer.getClassName() === 'MaxPooling2D' ? maxPool : avgPool;
        this.steps.push((x) => pool(x as Tensor4D, size, strides, pad));
        return 1;
      }
      case 'GlobalAveragePooling2D':
        if (!channelsLast(config)) return 0;
        // Over a 1×1 map the average is the value itself: a reshape, no kernel.
        this.steps.push((x) =>
          x.shape[1] === 1 && x.shape[2] === 1 ? reshape(x, [x.shape[0]!, -1]) : mean(x, [1, 2]),
        );
        return 1;
      case 'Flatten':
        this.steps.push((x) => reshape(x, [x.shape[0]!, -1]));
        return 1;
      default:
        return 0;
    }
  }

  private foldActivation(config: Config): number {
    if (config.activation === 'softmax') {
      this.softmaxed = true;
      this.steps.push((x) => softmax(x));
      return 1;
    }
    const activation = activationOf(config);
    if (!activation) return 0;
    this.steps.push(activation === 'relu' ? (x) => relu(x) : (x) => x);
    return 1;
  }

  /**
   * A linear layer's kernel and bias with a following BatchNormalization folded in, and the
   * activation that may be fused after it; `used` counts the layers consumed.
   */
  private folded(i: number, config: Config) {
    const layer = this.layers[i]!;
    const [kernel, bias] = layer.getWeights();
    let activation = activationOf(config);
    if (!kernel || !activation) return null;
    let used = 1;
    let w: Tensor = kernel;
    let b: Tensor | undefined = config.useBias === false ? undefined : bias;
    const next = this.layers[i + 1];
    if (activation === 'linear' && next?.getClassName() === 'BatchNormalization') {
      const affine = batchNormAffine(next);
      if (affine) {
        const [scale, shift] = affine;
        [w, b] = tidy(() => [mul(kernel, scale), b ? add(mul(b, scale), shift) : shift.clone()]);
        dispose([scale, shift]);
        this.own(w);
        this.own(b);
        used++;
      }
    }
    const after = this.layers[i + used];
    if (activation === 'linear' && after?.getClassName() === 'Activation') {
      if (after.getConfig().activation === 'relu') {
        activation = 'relu';
        used++;
      }
    }
    return { kernel: w, bias: b, activation, used };
  }

  private foldConv(i: number, config: Config): number {
    const strides = pair(config.strides ?? 1);
    const dilations = pair(config.dilationRate ?? 1);
    const pad = config.padding;
    if (!strides || !dilations || (pad !== 'valid' && pad !== 'same')) return 0;
    if (!channelsLast(config)) return 0;
    const f = this.folded(i, config);
    if (!f) return 0;
    const { kernel, bias, activation } = f;
    this.steps.push((x) =>
      fused.conv2d({
        x: x as Tensor4D,
        filter: kernel as Tensor4D,
        strides,
        pad,
        dilations,
        bias,
        activation,
      }),
    );
    return f.used;
  }

  private foldDense(i: number, config: Config): number {
    // A softmax Dense is a linear Dense followed by a softmax step.
    const softmaxed = config.activation === 'softmax';
    const f = this.folded(i, softmaxed ? { ...config, activation: 'linear' } : config);
    if (!f) return 0;
    const { kernel, bias, activation } = f;
    this.lastDenseAt = this.steps.length;
    this.steps.push((x) =>
      fused.matMul({ a: x as Tensor2D, b: kernel as Tensor2D, bias, activation }),
    );
    if (softmaxed) {
      if (f.used > 1) return 0; // A BatchNormalization after a softmax cannot be folded.
      this.softmaxed = true;
      this.steps.push((x) => softmax(x));
    }
    return f.used;
  }
}

/**
 * The fast form of `model` when it is a plain sequential stack of layers this module knows
 * (Conv2D, Dense, BatchNormalization, Activation, pooling, Flatten, Dropout); otherwise the
 * model itself, unchanged. The folded form owns copies of what it changed and keeps reading
 * the rest from `model`, so dispose the returned object instead of the model.
 */
export function foldForInference(model: LayersModel): InferenceModel {
  const layers = model.getClassName() === 'Sequential' ? (model.layers as unknown as Layer[]) : [];
  const folder = new Folder(layers);
  if (!layers.length || !folder.run()) {
    dispose(folder.owned);
    return {
      predict: (x) => {
        const y = model.predict(x);
        return Array.isArray(y) ? y[0]! : y;
      },
      predictWithEmbedding: null,
      dispose: () => model.dispose(),
      folded: false,
    };
  }
  const steps = folder.steps;
  // The embedding is what the last Dense reads, when it ends the network in a softmax.
  const headAt = folder.softmaxed ? folder.lastDenseAt : null;
  const body = headAt === null ? null : steps.slice(0, headAt);
  const head = headAt === null ? null : steps.slice(headAt);
  return {
    predict: (x) => tidy(() => steps.reduce((h, step) => step(h), x)),
    predictWithEmbedding:
      body && head
        ? (x) =>
            tidy(() => {
              const features = reshape(
                body.reduce((h, step) => step(h), x),
                [x.shape[0]!, -1],
              );
              return concat([head.reduce((h, step) => step(h), features), features], 1);
            })
        : null,
    dispose: () => {
      dispose(folder.owned);
      model.dispose();
    },
    folded: true,
  };
}
