import * as tf from '@tensorflow/tfjs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadModelFiles, saveModelFiles } from 'sync-server/registry';

/** Where a run stands, so `--resume` continues the same schedule and shuffles. */
export interface CheckpointState {
  epoch: number; // epoch in progress (or next to start)
  batch: number; // batches of `epoch` already done
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  limit: number | null;
  /** Training time spent so far over every resumed segment. */
  elapsedMs: number;
  savedAt: string;
}

const STATE = 'state.json';
const OPT_SPECS = 'optimizer.json';
const OPT_DATA = 'optimizer.bin';

/**
 * Writes model, optimizer state and `state` into `dir` without ever leaving it half-written:
 * everything goes to `<dir>.tmp` first, then the old checkpoint is swapped out by renames.
 */
export async function saveCheckpoint(
  dir: string,
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  state: CheckpointState,
): Promise<void> {
  const tmp = `${dir}.tmp`;
  await rm(tmp, { recursive: true, force: true });
  await mkdir(tmp, { recursive: true });
  await saveModelFiles(model, tmp);
  const { data, specs } = await tf.io.encodeWeights(await optimizer.getWeights());
  await writeFile(join(tmp, OPT_DATA), new Uint8Array(data as ArrayBuffer));
  await writeFile(join(tmp, OPT_SPECS), JSON.stringify(specs));
  await writeFile(join(tmp, STATE), JSON.stringify(state, null, 2));
  await rm(`${dir}.old`, { recursive: true, force: true });
  await rename(dir, `${dir}.old`).catch(() => undefined);
  await rename(tmp, dir);
  await rm(`${dir}.old`, { recursive: true, force: true });
}

/** Reads a checkpoint written by `saveCheckpoint`; null when `dir` holds none. */
export async function loadCheckpoint(
  dir: string,
): Promise<{ model: tf.LayersModel; optimizer: tf.Optimizer; state: CheckpointState } | null> {
  let state: CheckpointState;
  try {
    state = JSON.parse(await readFile(join(dir, STATE), 'utf8')) as CheckpointState;
  } catch {
    return null;
  }
  const model = await loadModelFiles(dir);
  const specs = JSON.parse(
    await readFile(join(dir, OPT_SPECS), 'utf8'),
  ) as tf.io.WeightsManifestEntry[];
  const bytes = await readFile(join(dir, OPT_DATA));
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  const named = tf.io.decodeWeights(buffer, specs);
  const optimizer = tf.train.adam(state.learningRate);
  // Order matters: Adam restores `iterations` first, then moments by variable index.
  await optimizer.setWeights(
    specs.map((s) => ({ name: s.name, tensor: named[s.name] as tf.Tensor })),
  );
  tf.dispose(Object.values(named)); // setWeights copied them into variables
  return { model, optimizer, state };
}
