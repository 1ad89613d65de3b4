import { backend_util, util } from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asKernelFunc, callOriginal, KernelScope } from './kernel-utils';

// Layout kernels for the wasm backend. Its rank-4 transpose is several times slower than the
// equivalent rank-2 one, and its Sum/Mean transpose the input so the reduced axes come last.
// Gradients reduce over the leading batch/spatial axes all the time (bias, BatchNorm), which a
// ones-vector matmul does ~10× faster.

const BACKEND = 'wasm';

/** Merges input axes that stay adjacent and in order under `perm` (same transpose, lower rank). */
export function collapseTranspose(
  shape: number[],
  perm: number[],
): { shape: number[]; perm: number[] } {
  const groups: number[][] = [];
  for (const axis of perm) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] === axis - 1) last.push(axis);
    else groups.push([axis]);
  }
  const byInput = [...groups].sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
  return {
    shape: byInput.map((g) => g.reduce((n, axis) => n * (shape[axis] ?? 1), 1)),
    perm: groups.map((g) => byInput.indexOf(g)),
  };
}

export function makeTranspose(original: KernelConfig): KernelFunc {
  return asKernelFunc((args) => {
    const x = (args.inputs as { x: TensorInfo }).x;
    const perm = args.attrs['perm'] as number[];
    const collapsed = collapseTranspose(x.shape, perm);
    if (collapsed.perm.length === perm.length) return callOriginal(original, args);
    const scope = new KernelScope(args.backend, BACKEND);
    try {
      const flat = scope.run('Reshape', { x }, { shape: collapsed.shape });
      const moved = scope.run('Transpose', { x: flat }, { perm: collapsed.perm });
      return scope.call('Reshape', { x: moved }, { shape: perm.map((p) => x.shape[p] ?? 1) });
    } finally {
      scope.release();
    }
  });
}

/** Number of leading axes reduced, when `axis` is exactly 0..k-1 with k < rank; else 0. */
function leadingAxes(axis: number | number[], rank: number): number {
  const axes = util.parseAxisParam(axis, new Array(rank).fill(1)).sort((a, b) => a - b);
  const leading = axes.every((a, i) => a === i);
  return leading && axes.length < rank ? axes.length : 0;
}

/** Sum (scale 1) or Mean (scale 1/R) over leading axes as ones[1,R] × x[R,B]. */
export function makeLeadingReduce(original: KernelConfig, mean: boolean): KernelFunc {
  return asKernelFunc((args) => {
    const x = (args.inputs as { x: TensorInfo }).x;
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const k = x.dtype === 'float32' ? leadingAxes(axis, x.shape.length) : 0;
    if (k === 0) return callOriginal(original, args);
    const reduced = util.sizeFromShape(x.shape.slice(0, k));
    const rest = x.shape.slice(k);
    const scope = new KernelScope(args.backend, BACKEND);
    try {
      const value = mean ? 1 / reduced : 1;
      const ones = scope.run('Fill', {}, { shape: [1, 1, reduced], value, dtype: 'float32' });
      const x3 = scope.run('Reshape', { x }, { shape: [1, reduced, util.sizeFromShape(rest)] });
      const product = scope.run(
        'BatchMatMul',
        { a: ones, b: x3 },
        { transposeA: false, transposeB: false },
      );
      const outShape = keepDims
        ? backend_util.expandShapeToKeepDim(rest, [...Array(k).keys()])
        : rest;
      return scope.call('Reshape', { x: product }, { shape: outShape });
    } finally {
      scope.release();
    }
  });
}
