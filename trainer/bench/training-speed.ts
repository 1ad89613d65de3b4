// Training samples/s per backend on the shipped architecture (buildModel()), short runs:
// wasm with our gradient kernels vs the stock cpu backend (stock wasm cannot train a conv
// net at all: Conv2DBackpropFilter is not registered). Usage: tsx bench/training-speed.ts [seconds]
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { recordRun, watchMachine, type TrainingSpeedRun } from 'sync-server/bench-results';
import { registerWasmTrainingKernels } from '../src/backend';
import { loadMnist } from '../src/data/mnist';
import { buildModel } from '../src/model';
import { createRng, fit, shuffledIndices } from '../src/train';
import type { SampleSet } from '../src/train';

const SECONDS = Number(process.argv[2] ?? 20);
const CASES = [
  { backend: 'wasm', batchSize: 64, augment: false },
  { backend: 'wasm', batchSize: 64, augment: true },
  { backend: 'cpu', batchSize: 8, augment: false },
];

function sample(set: SampleSet, n: number, seed: number): SampleSet {
  const idx = shuffledIndices(set.count, createRng(seed)).subarray(0, n);
  const images = new Uint8Array(n * 784);
  idx.forEach((j, i) => images.set(set.images.subarray(j * 784, (j + 1) * 784), i * 784));
  return { images, labels: Uint8Array.from(idx, (j) => set.labels[j] ?? 0), count: n };
}

/** Trains batch after batch until `SECONDS` have passed (first batch = warm-up, not counted). */
async function measure(c: (typeof CASES)[number], data: SampleSet): Promise<number> {
  await tf.setBackend(c.backend);
  const model = buildModel();
  const warm = {
    images: data.images.subarray(0, c.batchSize * 784),
    labels: data.labels,
    count: c.batchSize,
  };
  await fit(model, warm, {
    epochs: 1,
    batchSize: c.batchSize,
    learningRate: 1e-3,
    seed: 1,
    augment: c.augment,
  });
  const controller = new AbortController();
  const started = Date.now();
  let samples = 0;
  await fit(model, data, {
    epochs: 1,
    batchSize: c.batchSize,
    learningRate: 1e-3,
    seed: 2,
    augment: c.augment,
    signal: controller.signal,
    onBatchEnd: (e) => {
      samples = e.batch * c.batchSize;
      if (Date.now() - started > SECONDS * 1000) controller.abort();
    },
  });
  model.dispose();
  return (samples * 1000) / (Date.now() - started);
}

/** Multiply-adds of one prediction: every conv and dense layer's kernel over its output. */
function multiplyAdds(model: tf.LayersModel): number {
  let total = 0;
  for (const layer of model.layers) {
    const kernel = layer.getWeights()[0];
    if (!kernel || !['Conv2D', 'Dense'].includes(layer.getClassName())) continue;
    const out = layer.outputShape as number[];
    const positions = out.length === 4 ? (out[1] ?? 1) * (out[2] ?? 1) : 1;
    total += positions * kernel.size;
  }
  return total;
}

const machine = watchMachine();
registerWasmTrainingKernels();
await tf.setBackend('wasm');
const data = sample(loadMnist('train'), 4096, 7);
const shipped = buildModel();
process.stdout.write(
  `training speed, ${shipped.countParams()}-parameter model ` +
    `(${(multiplyAdds(shipped) / 1e6).toFixed(1)}M multiply-adds per digit), ${cpus().length}× ${cpus()[0]?.model.trim()}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, load average ${loadavg()[0]?.toFixed(1)}\n`,
);
const cases: TrainingSpeedRun['cases'] = [];
for (const c of CASES) {
  const rate = await measure(c, data);
  cases.push({ ...c, samplesPerSec: Math.round(rate * 10) / 10 });
  process.stdout.write(
    `  ${c.backend.padEnd(4)} batch ${String(c.batchSize).padStart(3)}${c.augment ? ' +augment' : '         '}: ${rate.toFixed(1).padStart(7)} samples/s\n`,
  );
}
const peak = process.resourceUsage().maxRSS / 1024;
process.stdout.write(`  peak RSS ${Math.round(peak)} MiB\n`);
const results = fileURLToPath(new URL('training-speed.json', import.meta.url));
recordRun<TrainingSpeedRun>(results, {
  date: new Date().toISOString(),
  machine: machine.done(),
  parameters: shipped.countParams(),
  multiplyAdds: multiplyAdds(shipped),
  cases,
});
process.stdout.write(`  written to ${results}; \`npm run docs\` updates the READMEs\n`);
