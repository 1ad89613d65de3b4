import '@tensorflow/tfjs-backend-cpu';
import {
  dispose,
  memory,
  randomNormal,
  randomUniform,
  ready,
  setBackend,
  tidy,
  type Tensor,
} from '@tensorflow/tfjs-core';
import { input, layers, model as functionalModel, sequential } from '@tensorflow/tfjs-layers';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldForInference } from './fold';

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
 * The shipped architecture's shape: conv → BN → ReLU blocks, max-pools (28 → 14 → 7 → 3, the
 * last over an odd size), a last conv block ('valid': 3 → 1, as shipped; 'same' keeps 3×3),
 * global pooling, softmax.
 */
function trainerLike(lastPadding: 'valid' | 'same' = 'valid'): LayersModel {
  const m = sequential();
  [8, 8, 16, 16].forEach((filters, i) => {
    m.add(
      layers.conv2d({
        ...(i === 0 ? { inputShape: [28, 28, 1] } : {}),
        filters,
        kernelSize: 3,
        padding: i === 3 ? lastPadding : 'same',
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

function same(a: Tensor, b: Tensor) {
  expect(a.shape).toEqual(b.shape);
  const x = a.dataSync();
  const y = b.dataSync();
  for (let i = 0; i < x.length; i++) expect(x[i]).toBeCloseTo(y[i]!, 5);
}

function compare(model: LayersModel, expectFolded: boolean) {
  const x = randomUniform([3, 28, 28, 1]);
  const expected = model.predict(x) as Tensor;
  const net = foldForInference(model);
  expect(net.folded).toBe(expectFolded);
  const actual = net.predict(x);
  same(actual, expected);
  net.dispose();
  x.dispose();
  expected.dispose();
  actual.dispose();
}

describe('foldForInference', () => {
  beforeAll(async () => {
    await setBackend('cpu');
    await ready();
  });

  it('folds the shipped architecture and gives the same probabilities', () => {
    compare(trainerLike(), true);
  });

  it('averages a global pool over a map larger than 1×1', () => {
    compare(trainerLike('same'), true);
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

  it('leaks no tensor: predictions are tidy and dispose frees the folded weights', () => {
    const before = memory().numTensors;
    const net = foldForInference(trainerLike());
    const x = randomUniform([1, 28, 28, 1]);
    const during = memory().numTensors;
    for (let i = 0; i < 3; i++) net.predict(x).dispose();
    expect(memory().numTensors).toBe(during);
    net.dispose();
    x.dispose();
    expect(memory().numTensors).toBe(before);
  });
});
