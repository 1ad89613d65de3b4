import * as tf from '@tensorflow/tfjs';
import type { AugmentOptions } from '../data/augment';
import { WorkerThread } from '../worker-thread';
import type { SampleSet } from './batch';
import { shardGradients, trainingBatch, weightArrays } from './gradients';
import type { ShardResult } from './gradients';
import type { WorkerReply, WorkerRequest } from './worker';

type Replica = WorkerThread<WorkerRequest, WorkerReply>;

/** The replica's entry; tests substitute one that fails on purpose. */
export const TRAINING_WORKER = new URL('./worker.ts', import.meta.url);

/**
 * Synchronous data parallelism over worker threads (Node runs wasm on one thread): each step
 * splits the batch, the main thread and every helper compute their shard's gradients at the
 * same weights, the main thread averages them (weighted by shard size) and applies them once,
 * then ships the new weights with the next step. Replicas therefore never drift.
 */
export class ParallelTrainer {
  private constructor(
    private readonly model: tf.LayersModel,
    private readonly data: SampleSet,
    private readonly helpers: Replica[],
    private readonly augmentOptions: AugmentOptions,
  ) {}

  /**
   * Starts `helpers` replica threads holding `data` and the model's topology. Rejects, with no
   * thread left running, when one of them fails to start.
   */
  static async start(
    model: tf.LayersModel,
    data: SampleSet,
    helpers: number,
    augmentOptions: AugmentOptions = {},
    entry: URL = TRAINING_WORKER,
  ) {
    const workers = Array.from({ length: helpers }, () =>
      WorkerThread.start<WorkerRequest, WorkerReply>(entry, { name: 'training' }),
    );
    const topology = model.toJSON(null, true) as string;
    try {
      await Promise.all(
        workers.map((w) => w.request({ type: 'init', topology, data, augmentOptions })),
      );
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    return new ParallelTrainer(model, data, workers, augmentOptions);
  }

  /** One optimizer step over `indices`; resolves to the batch's loss and accuracy. */
  async step(
    optimizer: tf.Optimizer,
    indices: Uint32Array,
    mask: boolean[] | null,
    seed: number,
  ): Promise<[number, number]> {
    const parts = this.helpers.length + 1;
    const size = Math.ceil(indices.length / parts);
    const shard = (k: number) => indices.slice(k * size, (k + 1) * size);
    const weights = weightArrays(this.model);
    const pending = this.helpers.map((w, k) => {
      const idx = shard(k + 1);
      const m = mask ? mask.slice((k + 1) * size, (k + 2) * size) : null;
      return w.request({ type: 'step', weights, indices: idx, mask: m, seed: seed * 31 + k + 1 });
    });
    // A replica that throws or dies rejects its step, and with it the run (fit stops the rest).
    // Awaited below; the catch only keeps a throw in this thread's shard from leaving it
    // unhandled when the stopped replicas reject.
    const replies = Promise.all(pending);
    replies.catch(() => {});
    let own: ShardResult | undefined;
    tf.tidy(() => {
      const m = mask ? mask.slice(0, size) : null;
      const { x, y } = trainingBatch(this.data, shard(0), m, seed * 31, this.augmentOptions);
      own = shardGradients(this.model, x, y);
    });
    if (!own) throw new Error('no gradients computed');
    const results = [own, ...(await replies).map(gradients)];
    return this.apply(optimizer, results);
  }

  private apply(optimizer: tf.Optimizer, results: ShardResult[]): [number, number] {
    const total = results.reduce((n, r) => n + r.count, 0);
    const variables = this.model.trainableWeights.map((w) => w.read() as tf.Variable);
    const grads: tf.NamedTensorMap = {};
    variables.forEach((v, i) => {
      const sum = new Float32Array(v.size);
      for (const r of results) {
        const g = r.grads[i] ?? new Float32Array(v.size);
        const wgt = r.count / total;
        for (let j = 0; j < sum.length; j++) sum[j] = (sum[j] ?? 0) + (g[j] ?? 0) * wgt;
      }
      grads[v.name] = tf.tensor(sum, v.shape);
    });
    optimizer.applyGradients(grads);
    tf.dispose(Object.values(grads));
    const mean = (f: (r: ShardResult) => number) =>
      results.reduce((s, r) => s + f(r) * r.count, 0) / total;
    return [mean((r) => r.loss), mean((r) => r.acc)];
  }

  async stop(): Promise<void> {
    await Promise.all(this.helpers.map((w) => w.terminate()));
  }
}

function gradients(reply: WorkerReply): ShardResult {
  if (reply.type !== 'grads') throw new Error(`training worker answered ${reply.type} to a step`);
  return reply;
}
