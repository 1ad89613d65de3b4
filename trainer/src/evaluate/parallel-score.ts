import * as tf from '@tensorflow/tfjs';
import { availableParallelism } from 'node:os';
import { PIXEL_COUNT } from 'sync-server/contract';
import type { BackendName } from '../backend';
import { log } from '../log';
import { predictClasses, type SampleSet } from '../train';
import { WorkerThread } from '../worker-thread';
import type { ChunkRequest, ScoreWorkerData } from './score-worker';
import { summarize, type Score } from './score';

export interface ParallelScoreOptions {
  /** Extra worker threads besides this one; default: one per further core. */
  workers?: number;
  chunk?: number;
  batchSize?: number;
  /** Whether this thread takes chunks too (default true; false leaves them to the workers). */
  useThisThread?: boolean;
  /** The worker's entry; tests substitute one that fails on purpose. */
  workerEntry?: URL;
}

type ScoreWorker = WorkerThread<ChunkRequest, Uint8Array>;

const SCORE_WORKER = new URL('./score-worker.ts', import.meta.url);

export interface ParallelScore extends Score {
  /** Chunks the worker threads answered. */
  workerChunks: number;
}

// Worker threads pay off only where one backend call uses one core (wasm here has no threads,
// cpu is plain JS); tfjs-node already spreads one call over all cores.
const SINGLE_THREADED: readonly string[] = ['wasm', 'cpu'];

/**
 * `score`, spread over worker threads: this thread and each worker take chunks from one queue
 * until the set is done, so a slow or failed worker only means this thread does more. The
 * workers get the model's weights in memory. Falls back to this thread alone when workers
 * cannot help (multi-threaded backend, one core) or cannot start (no TypeScript loader).
 */
export async function scoreParallel(
  model: tf.LayersModel,
  set: SampleSet,
  options: ParallelScoreOptions = {},
): Promise<ParallelScore> {
  const backend = tf.getBackend();
  const wanted = SINGLE_THREADED.includes(backend)
    ? (options.workers ?? availableParallelism() - 1)
    : 0;
  const chunk = options.chunk ?? 500;
  const batchSize = options.batchSize ?? 500;
  const chunks = Array.from({ length: Math.ceil(set.count / chunk) }, (_, i) => i);
  const classes = new Uint8Array(set.count);
  const pool =
    wanted > 0 && chunks.length > 1
      ? await startPool(model, wanted, backend, batchSize, options.workerEntry ?? SCORE_WORKER)
      : [];
  const inFlight = new Map<number, Promise<void>>();
  const slice = (id: number) => ({
    start: id * chunk,
    count: Math.min(chunk, set.count - id * chunk),
  });
  let workerChunks = 0;
  // The workers are stopped however this ends: a live one would keep the process from exiting.
  try {
    for (const worker of pool) feed(worker);
    while (chunks.length > 0 && options.useThisThread !== false) {
      const id = chunks.shift()!;
      const { start, count } = slice(id);
      classes.set(predictClasses(model, window(set, start, count), batchSize), start);
      await new Promise((r) => setImmediate(r)); // let worker replies in
    }
    await drain();
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  const { hits: _hits, ...summary } = summarize(set.labels, classes, set.count);
  return { ...summary, workerChunks };

  // Hands `worker` the next chunk whenever it is free; a failed chunk goes back to the queue.
  function feed(worker: ScoreWorker): void {
    const id = chunks.shift();
    if (id === undefined) return;
    const { start, count } = slice(id);
    // A copy with its own buffer, which the transfer detaches: the set may be a Buffer view
    // (`slice` would share memory) into the whole MNIST file.
    const images = new Uint8Array(
      set.images.subarray(start * PIXEL_COUNT, (start + count) * PIXEL_COUNT),
    );
    const done = worker.request({ images, count }, [images.buffer as ArrayBuffer]).then(
      (result) => {
        classes.set(result, start);
        workerChunks++;
        inFlight.delete(id);
        feed(worker);
      },
      (err: unknown) => {
        log('warn', `${messageOf(err)}; this thread scores its chunks`);
        inFlight.delete(id);
        chunks.push(id);
      },
    );
    inFlight.set(id, done);
  }

  // Work left by failed workers is done here after the loop.
  async function drain(): Promise<void> {
    while (inFlight.size > 0) await Promise.all(inFlight.values());
    for (const id of chunks.splice(0)) {
      const { start, count } = slice(id);
      classes.set(predictClasses(model, window(set, start, count), batchSize), start);
    }
  }
}

function window(set: SampleSet, start: number, count: number): SampleSet {
  return {
    images: set.images.subarray(start * PIXEL_COUNT, (start + count) * PIXEL_COUNT),
    labels: set.labels.subarray(start, start + count),
    count,
  };
}

// Workers that cannot start (no model artifacts, no TypeScript loader) leave the work to this
// thread; one that fails later is handled per chunk in `feed`.
async function startPool(
  model: tf.LayersModel,
  size: number,
  backend: string,
  batchSize: number,
  entry: URL,
): Promise<ScoreWorker[]> {
  try {
    let artifacts!: tf.io.ModelArtifacts;
    await model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = { ...a, weightData: tf.io.CompositeArrayBuffer.join(a.weightData) };
        return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(a) };
      }),
    );
    const workerData: ScoreWorkerData = { artifacts, backend: backend as BackendName, batchSize };
    return Array.from({ length: size }, () =>
      WorkerThread.start<ChunkRequest, Uint8Array>(entry, { name: 'score', workerData }),
    );
  } catch (err) {
    log('warn', `score workers could not start, this thread scores alone: ${messageOf(err)}`);
    return [];
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
