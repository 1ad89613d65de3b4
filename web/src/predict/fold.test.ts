import '@tensorflow/tfjs-backend-cpu';
import {
  dispose,
  io,
  reshape,
  slice,
  log,
  maximum,
  memory,
  randomNormal,
  randomUniform,
  ready,
  setBackend,
  tidy,
  type Tensor,
} from '@tensorflow/tfjs-core';
import {
  input,
  layers,
  loadLayersModel,
  model as functionalModel,
  sequential,
} from '@tensorflow/tfjs-layers';
import type { LayersModel, SymbolicTensor } from '@tensorflow/tfjs-layers';
import { manifestSchema } from 'sync-server/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldForInference } from './fold';

// The web program has no Node types (its code runs in the browser). This test alone reads
// files, so it imports node:fs/promises by a name TypeScript does not resolve, typed here.
interface Fs {
  readFile(path: URL, encoding: 'utf8'): Promise<string>;
  readFile(path: URL): Promise<Uint8Array>;
}
const FS: string = 'node:fs/promises';
const { readFile } = (await import(/* @vite-ignore */ FS)) as Fs;

const MODELS = new URL('../../../models/', import.meta.url);

interface ModelJson {
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: io.WeightsManifestEntry[] }[];
}

/** The files of the live model committed in models/: what the app ships and folds. */
async function committedArtifacts(): Promise<io.ModelArtifacts> {
  const manifest = manifestSchema.parse(
    JSON.parse(await readFile(new URL('manifest.json', MODELS), 'utf8')),
  );
  const dir = new URL(`${manifest.current}/`, MODELS);
  const json = JSON.parse(await readFile(new URL('model.json', dir), 'utf8')) as ModelJson;
  const groups = json.weightsManifest;
  const shards = await Promise.all(
    groups.flatMap((g) => g.paths).map((path) => readFile(new URL(path, dir))),
  );
  const weightData = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
  let offset = 0;
  for (const shard of shards) {
    weightData.set(shard, offset);
    offset += shard.length;
  }
  return {
    modelTopology: json.modelTopology,
    weightSpecs: groups.flatMap((g) => g.weights),
    weightData: weightData.buffer,
  };
}

/** Gives every weight random values (BatchNorm's variances positive), as training would. */
function randomize(model: LayersModel): LayersModel {
  const values = model.getWeights().map((w, i) =>
    tidy(() => {
      const name = model.weights[i]!.originalName;
      if (name.includes('moving_variance')) return randomUniform(w.shape, 0.2, 2);
      if (name.includes('gamma')) return randomUniform(w.shape, 0.5, 1.5);
      return randomNormal(w.shape, 0, 0.3);
    }),
  );
  model.setWeights(values); // copies them
  dispose(values);
  return model;
}

/**
 * Conv → BN → ReLU blocks with max-pools (28 → 14 → 7 → 3, the last over an odd size), a last
 * 'same' conv block that keeps a 3×3 map, global pooling, softmax.
 */
function poolsOverThreeByThree(): LayersModel {
  const m = sequential();
  [8, 8, 16, 16].forEach((filters, i) => {
    m.add(
      layers.conv2d({
        ...(i === 0 ? { inputShape: [28, 28, 1] } : {}),
        filters,
        kernelSize: 3,
        padding: 'same',
      }),
    );
    m.add(layers.batchNormalization());
    m.add(layers.activation({ activation: 'relu' }));
    if (i < 3) m.add(layers.maxPooling2d({ poolSize: 2 }));
  });
  m.add(layers.globalAveragePooling2d({}));
  m.add(layers.dense({ units: 10, activation: 'softmax' }));
  return randomize(m);
}

/** Other foldable layers and configs: strides, valid padding, BN after a ReLU, dense + BN. */
function assorted(): LayersModel {
  const m = sequential();
  m.add(
    layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 6,
      kernelSize: 5,
      strides: 2,
      activation: 'relu',
    }),
  );
  m.add(layers.batchNormalization({ epsilon: 1e-5 }));
  m.add(layers.averagePooling2d({ poolSize: 2, padding: 'same' }));
  m.add(layers.conv2d({ filters: 4, kernelSize: 3, useBias: false, padding: 'same' }));
  m.add(layers.batchNormalization({ center: false }));
  m.add(layers.flatten());
  m.add(layers.dropout({ rate: 0.5 }));
  m.add(layers.dense({ units: 12 }));
  m.add(layers.batchNormalization({ scale: false }));
  m.add(layers.activation({ activation: 'relu' }));
  m.add(layers.dense({ units: 10 }));
  m.add(layers.activation({ activation: 'softmax' }));
  return randomize(m);
}

const flatten = (t: Tensor) => reshape(t, [t.shape[0]!, -1]);

function same(a: Tensor, b: Tensor, digits = 5) {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(y[i]!, digits);
}

// A trained model is near certain on most inputs, so a fold error that moves the logits can
// hide in probabilities that round to 0 and 1; their logs still show it.
const logs = (p: Tensor) => tidy(() => log(maximum(p, 1e-30)));

function compare(model: LayersModel, expectFolded: boolean, { asLogs = false } = {}) {
  const x = randomUniform([8, 28, 28, 1]);
  const expected = model.predict(x) as Tensor;
  const net = foldForInference(model);
  expect(net.folded).toBe(expectFolded);
  const actual = net.predict(x);
  const [a, b] = asLogs ? [logs(actual), logs(expected)] : [actual, expected];
  same(a, b, asLogs ? 3 : 5);
  net.dispose();
  dispose([x, expected, actual, a, b]);
}

describe('foldForInference', () => {
  let artifacts: io.ModelArtifacts;
  // A fresh copy per test: the folded network owns (and disposes) the model it came from.
  const live = () => loadLayersModel(io.fromMemory(artifacts));
  beforeAll(async () => {
    await setBackend('cpu');
    await ready();
    artifacts = await committedArtifacts();
  });

  it('folds the committed live model and gives the same probabilities', async () => {
    compare(await live(), true, { asLogs: true });
  });

  it('averages a global pool over a map larger than 1×1', () => {
    compare(poolsOverThreeByThree(), true);
  });

  it('folds strides, valid padding, average pooling and BatchNorm in any position', () => {
    compare(assorted(), true);
  });

  it('falls back to the layers model for a layer it does not know', () => {
    const m = sequential();
    m.add(layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3 }));
    m.add(layers.globalMaxPooling2d({}));
    m.add(layers.dense({ units: 10, activation: 'softmax' }));
    compare(randomize(m), false);
  });

  it('falls back for a BatchNorm over another axis than the channels', () => {
    const m = sequential();
    m.add(layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, padding: 'same' }));
    m.add(layers.batchNormalization({ axis: 1 }));
    m.add(layers.flatten());
    m.add(layers.dense({ units: 10, activation: 'softmax' }));
    compare(randomize(m), false);
  });

  it('falls back for an activation it cannot fuse and for a functional model', () => {
    const m = sequential();
    m.add(layers.flatten({ inputShape: [28, 28, 1] }));
    m.add(layers.dense({ units: 10, activation: 'tanh' }));
    compare(randomize(m), false);

    const x = input({ shape: [28, 28, 1] });
    const y = layers.dense({ units: 10 }).apply(layers.flatten().apply(x)) as never;
    compare(randomize(functionalModel({ inputs: x, outputs: y })), false);
  });

  it('gives the penultimate layer with the same probabilities in one tensor', async () => {
    for (const model of [await live(), assorted()]) {
      const x = randomUniform([4, 28, 28, 1]);
      const inner = model.layers.findLastIndex((l) => l.getClassName() === 'Dense') - 1;
      const penultimate = functionalModel({
        inputs: model.inputs,
        outputs: model.layers[inner]!.output as SymbolicTensor,
      });
      const expected = tidy(() => flatten(penultimate.predict(x) as Tensor));
      const net = foldForInference(model);
      const both = net.predictWithEmbedding!(x);
      const probabilities = net.predict(x);
      const width = expected.shape[1]!;
      expect(both.shape).toEqual([4, 10 + width]);
      same(slice(both, [0, 0], [4, 10]), probabilities, 4);
      same(slice(both, [0, 10], [4, width]), expected, 3);
      net.dispose();
      dispose([x, expected, both, probabilities]);
    }
  });

  it('has no embedding when the model was not folded', () => {
    const m = sequential();
    m.add(layers.flatten({ inputShape: [28, 28, 1] }));
    m.add(layers.dense({ units: 10, activation: 'tanh' }));
    const net = foldForInference(m);
    expect(net.predictWithEmbedding).toBeNull();
    net.dispose();
  });

  it('leaks no tensor: predictions are tidy and dispose frees the folded weights', async () => {
    const before = memory().numTensors;
    const net = foldForInference(await live());
    const x = randomUniform([1, 28, 28, 1]);
    const during = memory().numTensors;
    for (let i = 0; i < 3; i++) net.predict(x).dispose();
    expect(memory().numTensors).toBe(during);
    net.dispose();
    x.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
