import * as tf from '@tensorflow/tfjs';
import { log } from '../log';
import { registerWasmTrainingKernels } from './kernels';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';
export interface InitBackendOptions {
  /** Start the fallback chain here (tensorflow → wasm → cpu); default `tensorflow`. */
  prefer?: BackendName;
  /** Log which backend runs (default true). */
  quiet?: boolean;
}

const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];
let active: Promise<string> | undefined;

async function tryTensorflow(): Promise<boolean> {
  try {
    // Optional dependency: loads on GitHub's runners, absent where libtensorflow cannot install.
    const name = '@tensorflow/tfjs-node';
    await import(/* @vite-ignore */ name);
    return await tf.setBackend('tensorflow');
  } catch {
    return false;
  }
}

async function tryWasm(): Promise<boolean> {
  try {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
    return await tf.setBackend('wasm');
  } catch (error) {
    log('warn', `wasm backend unavailable: ${String(error)}`);
    return false;
  }
}

async function select(prefer: BackendName): Promise<string> {
  for (const name of ORDER.slice(ORDER.indexOf(prefer))) {
    const ok =
      name === 'tensorflow'
        ? await tryTensorflow()
        : name === 'wasm'
          ? await tryWasm()
          : await tf.setBackend('cpu');
    if (ok) {
      await tf.ready();
      return tf.getBackend();
    }
  }
  throw new Error('no TensorFlow.js backend could be initialised');
}

/**
 * Selects the fastest available backend for training: `@tensorflow/tfjs-node` when it loads,
 * else `wasm` with our gradient kernels registered, else `cpu`. Idempotent: later calls return
 * the first call's backend, whatever they prefer. Resolves to the backend's name.
 */
export function initBackend(opts: InitBackendOptions = {}): Promise<string> {
  active ??= select(opts.prefer ?? 'tensorflow').then((name) => {
    if (!opts.quiet) log('info', `tensorflow.js backend: ${name}`);
    return name;
  });
  return active;
}

export { registerWasmTrainingKernels } from './kernels';
