import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs';
import { asKernelFunc, callOriginal, KernelScope } from './kernel-utils';

// The wasm backend's MaxPoolGrad is a naive loop, several times slower than the conv
// gradients around it. For the common 2×2/stride-2 pooling over even sizes (buildModel's
// 28 → 14 and 14 → 7 pools; its 7 → 3 pool takes the stock kernel) the windows do not
// overlap, so the gradient is the upsampled dy wherever the input equals the upsampled max: a
// few broadcast ops. Ties inside one window (only at 0 after a ReLU, where the ReLU's own
// gradient is 0) each receive dy, unlike TensorFlow's first-max rule.

const BACKEND = 'wasm';

function isPair(value: unknown, n: number): boolean {
  return value === n || (Array.isArray(value) && value.every((v) => v === n));
}

export function makeMaxPoolGrad(original: KernelConfig): KernelFunc {
  return asKernelFunc((args) => {
    const { dy, input, output } = args.inputs as Record<'dy' | 'input' | 'output', TensorInfo>;
    const { filterSize, strides, pad } = args.attrs;
    const [n = 0, h = 0, w = 0, c = 0] = input.shape;
    const simple =
      input.dtype === 'float32' &&
      isPair(filterSize, 2) &&
      isPair(strides, 2) &&
      (pad === 'valid' || pad === 'same') &&
      h % 2 === 0 &&
      w % 2 === 0;
    if (!simple) return callOriginal(original, args);
    const scope = new KernelScope(args.backend, BACKEND);
    try {
      const ones = scope.run('Fill', {}, { shape: [1, 1, 2, 1, 2, 1], value: 1, dtype: 'float32' });
      const upsample = (x: TensorInfo) => {
        const x6 = scope.run('Reshape', { x }, { shape: [n, h / 2, 1, w / 2, 1, c] });
        const up = scope.run('Multiply', { a: x6, b: ones });
        return scope.run('Reshape', { x: up }, { shape: [n, h, w, c] });
      };
      const isMax = scope.run('Equal', { a: input, b: upsample(output) });
      const mask = scope.run('Cast', { x: isMax }, { dtype: 'float32' });
      return scope.call('Multiply', { a: upsample(dy), b: mask });
    } finally {
      scope.release();
    }
  });
}
