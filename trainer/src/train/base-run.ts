import type * as tf from '@tensorflow/tfjs';
import type { AugmentOptions } from '../data/augment';
import type { SampleSet } from './batch';
import { saveCheckpoint } from './checkpoint';
import type { CheckpointState } from './checkpoint';
import { fit } from './fit';
import type { FitResult } from './fit';
import { createProgressBar } from './progress';

export interface CheckpointedRunOptions {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  /** Where the run starts (fresh or from a checkpoint) and its fixed hyper-parameters. */
  state: CheckpointState;
  data: SampleSet;
  dir: string;
  workers: number;
  augmentOptions: AugmentOptions;
  checkpointEveryMs: number;
  onEpoch?: (epoch: number, loss: number, acc: number) => void;
}

/**
 * `fit` with a progress bar, an atomic checkpoint after every epoch and every
 * `checkpointEveryMs`, and SIGINT/SIGTERM handled by stopping between batches and writing a
 * checkpoint at that point. `durationMs` adds up the training time of every resumed segment.
 */
export async function runWithCheckpoints(o: CheckpointedRunOptions): Promise<FitResult> {
  const { state } = o;
  const batches = Math.ceil(o.data.count / state.batchSize);
  const controller = new AbortController();
  // `on`, not `once`: Ctrl-C reaches both npm/tsx and this process, and tsx forwards it
  // again; a second signal must not kill the run while it writes its checkpoint.
  const stop = () => controller.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const bar = createProgressBar(state.epochs, batches, state.epoch, state.batch);
  const segmentStart = Date.now();
  let lastSave = Date.now();
  let position = { epoch: state.epoch, batch: state.batch };
  const save = async () => {
    const elapsedMs = state.elapsedMs + Date.now() - segmentStart;
    const next = { ...state, ...position, elapsedMs, savedAt: new Date().toISOString() };
    await saveCheckpoint(o.dir, o.model, o.optimizer, next);
    lastSave = Date.now();
  };
  try {
    const result = await fit(o.model, o.data, {
      epochs: state.epochs,
      batchSize: state.batchSize,
      learningRate: state.learningRate,
      schedule: 'cosine',
      augment: true,
      augmentOptions: o.augmentOptions,
      seed: state.seed,
      optimizer: o.optimizer,
      workers: o.workers,
      initialEpoch: state.epoch,
      initialBatch: state.batch,
      signal: controller.signal,
      onProgress: (p) => bar.update(p),
      onBatchEnd: async (e) => {
        const done = e.batch === e.batches;
        position = done ? { epoch: e.epoch + 1, batch: 0 } : { epoch: e.epoch, batch: e.batch };
        if (!done && Date.now() - lastSave > o.checkpointEveryMs) await save();
      },
      onEpochEnd: async (e) => {
        await save();
        o.onEpoch?.(e.epoch, e.loss, e.acc);
      },
    });
    if (result.aborted) await save();
    return { ...result, durationMs: state.elapsedMs + Date.now() - segmentStart };
  } finally {
    bar.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
