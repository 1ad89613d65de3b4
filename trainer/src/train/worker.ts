import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend';
import type { AugmentOptions } from '../data/augment';
import type { SampleSet } from './batch';
import { serve } from '../worker-thread/serve';
import { setWeightArrays, shardGradients, trainingBatch } from './gradients';
import type { ShardResult } from './gradients';

// A data-parallel replica: holds the samples and a copy of the model, and for each step
// receives fresh weights plus its shard of the batch and answers with that shard's gradients.

export type WorkerRequest =
  | { type: 'init'; topology: string; data: SampleSet; augmentOptions?: AugmentOptions }
  | {
      type: 'step';
      weights: Float32Array[];
      indices: Uint32Array;
      mask: boolean[] | null;
      seed: number;
    };

export type WorkerReply = { type: 'ready' } | ({ type: 'grads' } & ShardResult);

let model: tf.LayersModel | undefined;
let data: SampleSet | undefined;
let augmentOptions: AugmentOptions = {};

async function init(msg: Extract<WorkerRequest, { type: 'init' }>): Promise<WorkerReply> {
  await initBackend({ prefer: 'wasm', quiet: true });
  const artifacts = { modelTopology: JSON.parse(msg.topology) as tf.io.ModelJSON['modelTopology'] };
  model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  data = msg.data;
  augmentOptions = msg.augmentOptions ?? {};
  return { type: 'ready' };
}

function step(msg: Extract<WorkerRequest, { type: 'step' }>): WorkerReply {
  if (!model || !data) throw new Error('worker used before init');
  const [m, d] = [model, data];
  setWeightArrays(m, msg.weights);
  return tf.tidy(() => {
    const { x, y } = trainingBatch(d, msg.indices, msg.mask, msg.seed, augmentOptions);
    return { type: 'grads' as const, ...shardGradients(m, x, y) };
  });
}

serve<WorkerRequest, WorkerReply>(
  (msg) => (msg.type === 'init' ? init(msg) : step(msg)),
  // The gradients move to the main thread instead of being copied.
  (out) => (out.type === 'grads' ? out.grads.map((g) => g.buffer as ArrayBuffer) : []),
);
