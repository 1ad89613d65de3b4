import * as tf from '@tensorflow/tfjs';
import { backend_util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { asKernelFunc, callOriginal, KernelScope, swapLastTwo, transpose } from './kernel-utils';
import { makeLeadingReduce, makeTranspose } from './layout-kernels';
import { makeMaxPoolGrad } from './pool-kernels';

// The stock wasm backend cannot train a CNN: Conv2DBackpropFilter is missing (tfjs issue 8474),
// and its transposed BatchMatMul, stride-1 Conv2DBackpropInput and Tile are slow. Each kernel
// here rewrites the gradient as the backend's fast forward kernels (XNNPACK conv, matmul,
// broadcast multiply) over transposed tensors. Register them before `tf.setBackend('wasm')`
// so the original kernels' setup functions (which our fallbacks call) still run.

const BACKEND = 'wasm';
type Pad = 'same' | 'valid' | number | backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;
type Shape4 = [number, number, number, number];

function conv2dInfo(xShape: number[], filterShape: number[], attrs: NamedAttrMap) {
  if (attrs['dataFormat'] === 'NCHW') throw new Error('our wasm conv kernels support NHWC only');
  return backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    attrs['strides'] as [number, number],
    1,
    attrs['pad'] as Pad,
    attrs['dimRoundingMode'] as Rounding,
  );
}

function explicitPad(top: number, bottom: number, left: number, right: number) {
  return [
    [0, 0],
    [top, bottom],
    [left, right],
    [0, 0],
  ];
}

/**
 * dW[fh,fw,ci,co] = Σ_{n,oh,ow} x[n, oh·s+fh, ow·s+fw, ci] · dy[n,oh,ow,co]: a forward conv with
 * input channels Ci as the batch, the batch N as channels, dy as the filter dilated by the stride.
 */
const conv2DBackpropFilter = asKernelFunc(({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const filterShape = attrs['filterShape'] as Shape4;
  const info = conv2dInfo(x.shape, filterShape, attrs);
  const { top, bottom, left, right } = info.padInfo;
  const scope = new KernelScope(backend, BACKEND);
  try {
    const xT = transpose(scope, x, [3, 1, 2, 0]);
    const dyT = transpose(scope, dy, [1, 2, 0, 3]);
    let conv = scope.run(
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        pad: explicitPad(top, bottom, left, right),
        dilations: [info.strideHeight, info.strideWidth],
        dataFormat: 'NHWC',
      },
    );
    const [fh, fw, ci, co] = filterShape;
    if (conv.shape[1] !== fh || conv.shape[2] !== fw) {
      // Rows/columns past the last window (valid padding with a stride) are not part of dW.
      conv = scope.run('Slice', { x: conv }, { begin: [0, 0, 0, 0], size: [ci, fh, fw, co] });
    }
    return scope.call('Transpose', { x: conv }, { perm: [1, 2, 0, 3] });
  } finally {
    scope.release();
  }
});

/** Stride 1: dx = conv(dy, filter rotated 180° with in/out swapped, padded by fh-1-pad). */
function makeConv2DBackpropInput(original: KernelConfig): KernelFunc {
  return asKernelFunc((args) => {
    const { inputs, backend, attrs } = args;
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const info = conv2dInfo(attrs['inputShape'] as number[], filter.shape, attrs);
    const { top, bottom, left, right } = info.padInfo;
    const pads = [
      info.filterHeight - 1 - top,
      info.filterHeight - 1 - bottom,
      info.filterWidth - 1 - left,
      info.filterWidth - 1 - right,
    ] as const;
    if (info.strideHeight !== 1 || info.strideWidth !== 1 || pads.some((p) => p < 0)) {
      return callOriginal(original, args);
    }
    const scope = new KernelScope(backend, BACKEND);
    try {
      const rotated = scope.run('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = transpose(scope, rotated, [0, 1, 3, 2]);
      return scope.call(
        'Conv2D',
        { x: dy, filter: swapped },
        { strides: [1, 1], pad: explicitPad(...pads), dilations: [1, 1], dataFormat: 'NHWC' },
      );
    } finally {
      scope.release();
    }
  });
}

/** The backend's matmul is fast without transposes: transpose explicitly first. */
function makeBatchMatMul(original: KernelConfig): KernelFunc {
  return asKernelFunc((args) => {
    const { inputs, backend, attrs } = args;
    const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
    if (!transposeA && !transposeB) return callOriginal(original, args);
    const scope = new KernelScope(backend, BACKEND);
    try {
      const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
      return scope.call(
        'BatchMatMul',
        { a: transposeA ? swapLastTwo(scope, a) : a, b: transposeB ? swapLastTwo(scope, b) : b },
        { transposeA: false, transposeB: false },
      );
    } finally {
      scope.release();
    }
  });
}

/**
 * Tiling that only repeats size-1 axes is a broadcast (BatchNormalization's gradient tiles
 * [1,1,1,C] over the batch); a broadcast multiply by ones does that ~10× faster than Tile.
 */
function makeTile(original: KernelConfig): KernelFunc {
  return asKernelFunc((args) => {
    const { inputs, backend, attrs } = args;
    const x = (inputs as { x: TensorInfo }).x;
    const reps = attrs['reps'] as number[];
    const isBroadcast = x.dtype === 'float32' && x.shape.every((d, i) => d === 1 || reps[i] === 1);
    if (!isBroadcast) return callOriginal(original, args);
    const scope = new KernelScope(backend, BACKEND);
    try {
      const shape = x.shape.map((d, i) => d * (reps[i] ?? 1));
      const ones = scope.run('Fill', {}, { shape, value: 1, dtype: 'float32' });
      return scope.call('Multiply', { a: x, b: ones });
    } finally {
      scope.release();
    }
  });
}

function override(name: string, make: (original: KernelConfig) => KernelFunc): void {
  const original = tf.getKernel(name, BACKEND);
  if (!original)
    throw new Error(`wasm kernel ${name} missing: is @tensorflow/tfjs-backend-wasm loaded?`);
  tf.unregisterKernel(name, BACKEND);
  const config: KernelConfig = {
    kernelName: name,
    backendName: BACKEND,
    kernelFunc: make(original),
  };
  if (original.setupFunc) config.setupFunc = original.setupFunc;
  if (original.disposeFunc) config.disposeFunc = original.disposeFunc;
  tf.registerKernel(config);
}

let registered = false;

/**
 * Registers our training kernels on the `wasm` backend (idempotent). Call it after importing
 * `@tensorflow/tfjs-backend-wasm` and before `tf.setBackend('wasm')`.
 */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: BACKEND,
    kernelFunc: conv2DBackpropFilter,
  });
  override('Conv2DBackpropInput', makeConv2DBackpropInput);
  override('BatchMatMul', makeBatchMatMul);
  override('Tile', makeTile);
  override('Transpose', makeTranspose);
  override('Sum', (original) => makeLeadingReduce(original, false));
  override('Mean', (original) => makeLeadingReduce(original, true));
  override('MaxPoolGrad', makeMaxPoolGrad);
}
