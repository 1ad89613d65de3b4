import * as tf from '@tensorflow/tfjs';
import type {
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs';

type Inputs = Record<string, TensorInfo>;

/**
 * Calls other kernels of one backend from inside a kernel, disposing every intermediate on
 * `release()`. Kernels must not call tf ops (the engine would track them as user tensors);
 * they compose the backend's own kernel functions on raw TensorInfos instead.
 */
export class KernelScope {
  private readonly owned: TensorInfo[] = [];

  constructor(
    readonly backend: KernelBackend,
    private readonly backendName: string,
  ) {}

  /** Runs `kernelName` and keeps its output for disposal unless it is the final result. */
  run(kernelName: string, inputs: Inputs, attrs: NamedAttrMap = {}): TensorInfo {
    const out = this.call(kernelName, inputs, attrs);
    this.owned.push(out);
    return out;
  }

  /** Runs `kernelName` and hands ownership of the output to the caller. */
  call(kernelName: string, inputs: Inputs, attrs: NamedAttrMap = {}): TensorInfo {
    const config = tf.getKernel(kernelName, this.backendName);
    if (!config) throw new Error(`kernel ${kernelName} is not registered on ${this.backendName}`);
    const out = config.kernelFunc({ inputs, backend: this.backend, attrs });
    if (Array.isArray(out)) throw new Error(`kernel ${kernelName} returned several outputs`);
    return out;
  }

  release(): void {
    for (const info of this.owned) this.backend.disposeData(info.dataId);
    this.owned.length = 0;
  }
}

/** `x` transposed by `perm`. */
export function transpose(scope: KernelScope, x: TensorInfo, perm: number[]): TensorInfo {
  return scope.run('Transpose', { x }, { perm });
}

/** Swaps the last two axes of a rank ≥ 2 tensor. */
export function swapLastTwo(scope: KernelScope, x: TensorInfo): TensorInfo {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return transpose(scope, x, perm);
}

/** What tfjs passes a kernel function, with the optional parts made concrete. */
export interface KernelArgs {
  inputs: Inputs;
  backend: KernelBackend;
  attrs: NamedAttrMap;
}

/** Adapts a kernel written against `KernelArgs` to tfjs's looser `KernelFunc` type. */
export function asKernelFunc(fn: (args: KernelArgs) => TensorInfo): KernelFunc {
  return ((args: Parameters<KernelFunc>[0]) =>
    fn({
      inputs: args.inputs as Inputs,
      backend: args.backend as KernelBackend,
      attrs: args.attrs ?? {},
    })) as KernelFunc;
}

/** Runs the kernel we replaced, for the cases our version does not handle. */
export function callOriginal(original: KernelConfig, args: KernelArgs): TensorInfo {
  return original.kernelFunc(args) as TensorInfo;
}
