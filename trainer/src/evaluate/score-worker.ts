// Worker thread of scoreParallel: loads the model it is sent once, then answers chunks of
// images with predicted classes until it is terminated.
import * as tf from '@tensorflow/tfjs';
import { workerData } from 'node:worker_threads';
import { initBackend, type BackendName } from '../backend';
import { predictClasses } from '../train';
import { serve } from '../worker-thread/serve';

export interface ScoreWorkerData {
  artifacts: tf.io.ModelArtifacts;
  backend: BackendName;
  batchSize: number;
}
export interface ChunkRequest {
  images: Uint8Array;
  count: number;
}

// Chunks sent while the model loads wait in the port until `serve` listens.
const data = workerData as ScoreWorkerData;
await initBackend({ prefer: data.backend, quiet: true });
const model = await tf.loadLayersModel(tf.io.fromMemory(data.artifacts));
serve<ChunkRequest, Uint8Array>(
  (req) => {
    const set = { images: req.images, labels: new Uint8Array(req.count), count: req.count };
    return predictClasses(model, set, data.batchSize);
  },
  (classes) => [classes.buffer as ArrayBuffer],
);
