// Worker thread of scoreParallel: loads the model it is sent once, then answers chunks of
// images with predicted classes until it is terminated.
import * as tf from '@tensorflow/tfjs';
import { parentPort, workerData } from 'node:worker_threads';
import { initBackend, type BackendName } from '../backend';
import { predictClasses } from '../train';

export interface ScoreWorkerData {
  artifacts: tf.io.ModelArtifacts;
  backend: BackendName;
  batchSize: number;
}
export interface ChunkRequest {
  id: number;
  images: Uint8Array;
  count: number;
}
export type WorkerReply = { ready: true } | { id: number; classes: Uint8Array };

const port = parentPort;
if (!port) throw new Error('score-worker must run in a worker thread');
const data = workerData as ScoreWorkerData;
await initBackend({ prefer: data.backend, quiet: true });
const model = await tf.loadLayersModel(tf.io.fromMemory(data.artifacts));
port.on('message', (req: ChunkRequest) => {
  const set = { images: req.images, labels: new Uint8Array(req.count), count: req.count };
  const classes = predictClasses(model, set, data.batchSize);
  port.postMessage({ id: req.id, classes } satisfies WorkerReply, [classes.buffer as ArrayBuffer]);
});
port.postMessage({ ready: true } satisfies WorkerReply);
