import * as tf from '@tensorflow/tfjs';
import { Worker } from 'node:worker_threads';
import type { AugmentOptions } from '../data/augment';
import type { SampleSet } from './batch';
import { shardGradients, trainingBatch, weightArrays } from './gradients';
import type { ShardResult } from './gradients';
import type { WorkerRequest } from './worker';

/**
 * Starts the replica thread. From TypeScript sources (tsx) the worker must register tsx's
 * loader in its own thread before importing worker.ts (execArgv `--import tsx` is not enough
 * on Node 20), hence the small eval bootstrap.
 */
function spawnWorker(): Worker {
  const fromTs = import.meta.url.endsWith('.ts');
  const url = new URL(`./worker.${fromTs ? 'ts' : 'js'}`, import.meta.url);
  if (!fromTs) return new Worker(url);
  const api = import.meta.resolve('tsx/esm/api');
  const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(code, { eval: true });
}

type Reply =
  ({ type: 'grads' } & ShardResult) | { type: 'ready' } | { type: 'error'; message: string };

function request(worker: Worker, msg: WorkerRequest): Promise<Reply> {
  return new Promise((resolve, reject) => {
    worker.once('message', (reply: Reply) =>
      reply.type === 'error'
        ? reject(new Error(`training worker: ${reply.message}`))
        : resolve(reply),
    );
    worker.postMessage(msg);
  });
}

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
    private readonly helpers: Worker[],
    private readonly augmentOptions: AugmentOptions,
  ) {}

  static async start(
    model: tf.LayersModel,
    data: SampleSet,
    helpers: number,
    augmentOptions: AugmentOptions = {},
  ) {
    const workers = Array.from({ length: helpers }, spawnWorker);
    const topology = model.toJSON(null, true) as string;
    await Promise.all(
      workers.map((w) => request(w, { type: 'init', topology, data, augmentOptions })),
    );
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
      return request(w, { type: 'step', weights, indices: idx, mask: m, seed: seed * 31 + k + 1 });
    });
    let own: ShardResult | undefined;
    tf.tidy(() => {
      const m = mask ? mask.slice(0, size) : null;
      const { x, y } = trainingBatch(this.data, shard(0), m, seed * 31, this.augmentOptions);
      own = shardGradients(this.model, x, y);
    });
    if (!own) throw new Error('no gradients computed');
    const results = [own, ...((await Promise.all(pending)) as ShardResult[])];
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
