import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { registerWasmTrainingKernels } from './kernels';

type Inputs = Record<string, { shape: number[]; values: Float32Array }>;

function random(shape: number[], seed: number): { shape: number[]; values: Float32Array } {
  let s = seed;
  const values = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 1073741824 - 1;
  });
  return { shape, values };
}

/** Runs one kernel on `backend` and returns its output, checking it leaks nothing. */
async function runOn(backend: string, kernel: string, inputs: Inputs, attrs: object) {
  await tf.setBackend(backend);
  const engine = tf.engine();
  const tensors = Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [k, tf.tensor(v.values, v.shape)]),
  );
  const before = { tensors: tf.memory().numTensors, data: engine.backend.numDataIds() };
  const out = engine.runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
  const result = { shape: out.shape, values: out.dataSync().slice() };
  out.dispose();
  expect(tf.memory().numTensors).toBe(before.tensors);
  expect(engine.backend.numDataIds()).toBe(before.data);
  Object.values(tensors).forEach((t) => t.dispose());
  return result;
}

async function expectSameAsCpu(kernel: string, inputs: Inputs, attrs: object) {
  const want = await runOn('cpu', kernel, inputs, attrs);
  const got = await runOn('wasm', kernel, inputs, attrs);
  expect(got.shape).toEqual(want.shape);
  const scale = Math.max(1, ...want.values.map(Math.abs));
  let worst = 0;
  want.values.forEach((w, i) => (worst = Math.max(worst, Math.abs(w - (got.values[i] ?? NaN)))));
  expect(worst / scale).toBeLessThan(1e-4);
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  await tf.setBackend('wasm');
});

const CONVS = [
  { x: [2, 8, 8, 3], f: [3, 3, 3, 4], strides: 1, pad: 'same' },
  { x: [3, 9, 7, 2], f: [3, 3, 2, 5], strides: 1, pad: 'valid' },
  { x: [2, 9, 9, 3], f: [3, 3, 3, 4], strides: 2, pad: 'same' },
  { x: [2, 10, 9, 2], f: [2, 3, 2, 3], strides: [2, 3], pad: 'valid' },
  { x: [4, 12, 12, 1], f: [5, 5, 1, 6], strides: 1, pad: 'same' },
  {
    x: [1, 6, 6, 2],
    f: [3, 3, 2, 2],
    strides: 1,
    pad: [
      [0, 0],
      [1, 2],
      [0, 1],
      [0, 0],
    ],
  },
] as const;

function outShape(c: (typeof CONVS)[number]): number[] {
  const info = tf.backend_util.computeConv2DInfo(
    c.x as unknown as [number, number, number, number],
    c.f as unknown as [number, number, number, number],
    c.strides as number | [number, number],
    1,
    c.pad as 'same',
  );
  return info.outShape;
}

describe('wasm training kernels match the cpu backend', () => {
  it.each(CONVS)('Conv2DBackpropFilter x=$x f=$f strides=$strides pad=$pad', async (c) => {
    const inputs = { x: random([...c.x], 1), dy: random(outShape(c), 2) };
    await expectSameAsCpu('Conv2DBackpropFilter', inputs, {
      strides: c.strides,
      pad: c.pad,
      dataFormat: 'NHWC',
      filterShape: c.f,
    });
  });

  it.each(CONVS)('Conv2DBackpropInput x=$x f=$f strides=$strides pad=$pad', async (c) => {
    const inputs = { dy: random(outShape(c), 3), filter: random([...c.f], 4) };
    await expectSameAsCpu('Conv2DBackpropInput', inputs, {
      strides: c.strides,
      pad: c.pad,
      dataFormat: 'NHWC',
      inputShape: c.x,
    });
  });

  it.each([
    { a: [2, 5, 3], b: [2, 5, 4], transposeA: true, transposeB: false },
    { a: [1, 6, 7], b: [1, 8, 7], transposeA: false, transposeB: true },
    { a: [3, 4, 6], b: [3, 5, 4], transposeA: true, transposeB: true },
    { a: [1, 9, 3], b: [1, 3, 2], transposeA: false, transposeB: false },
  ])('BatchMatMul a=$a b=$b tA=$transposeA tB=$transposeB', async (c) => {
    const inputs = { a: random(c.a, 5), b: random(c.b, 6) };
    await expectSameAsCpu('BatchMatMul', inputs, c);
  });

  it.each([
    { x: [1, 1, 1, 4], reps: [3, 5, 5, 1] },
    { x: [2, 3], reps: [2, 2] },
    { x: [1, 3], reps: [4, 1] },
  ])('Tile x=$x reps=$reps', async (c) => {
    await expectSameAsCpu('Tile', { x: random(c.x, 7) }, { reps: c.reps });
  });

  it.each([
    { x: [4, 5, 6, 3], perm: [3, 0, 1, 2] },
    { x: [4, 5, 6, 3], perm: [1, 2, 0, 3] },
    { x: [2, 3, 4, 5], perm: [0, 2, 1, 3] },
    { x: [3, 4], perm: [1, 0] },
  ])('Transpose x=$x perm=$perm', async (c) => {
    await expectSameAsCpu('Transpose', { x: random(c.x, 10) }, { perm: c.perm });
  });

  it.each([
    { x: [4, 5, 6, 3], axis: [0, 1, 2], keepDims: false },
    { x: [4, 5, 6, 3], axis: [2, 0, 1], keepDims: true },
    { x: [7, 3], axis: 0, keepDims: false },
    { x: [4, 5, 3], axis: [1], keepDims: false },
    { x: [4, 5, 3], axis: -1, keepDims: true },
  ])('Sum and Mean x=$x axis=$axis keepDims=$keepDims', async (c) => {
    await expectSameAsCpu('Sum', { x: random(c.x, 11) }, c);
    await expectSameAsCpu('Mean', { x: random(c.x, 12) }, c);
  });

  it.each([
    { x: [2, 6, 4, 3], filterSize: 2, strides: 2, pad: 'valid' },
    { x: [1, 8, 8, 2], filterSize: [2, 2], strides: [2, 2], pad: 'same' },
    { x: [2, 5, 5, 2], filterSize: 3, strides: 2, pad: 'valid' },
  ])('MaxPoolGrad x=$x filter=$filterSize strides=$strides pad=$pad', async (c) => {
    // The pooled output must come from the same backend-independent input, so pool on cpu.
    const x = random(c.x, 13);
    await tf.setBackend('cpu');
    const pooled = tf.tidy(() => {
      const y = tf.maxPool(
        tf.tensor4d(x.values, c.x as [number, number, number, number]),
        c.filterSize as number,
        c.strides as number,
        c.pad as 'same',
      );
      return { shape: y.shape, values: y.dataSync().slice() as Float32Array };
    });
    const dy = random(pooled.shape, 14);
    const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
    await expectSameAsCpu('MaxPoolGrad', { dy, input: x, output: pooled }, attrs);
  });

  it('trains a conv layer: gradients through the model agree with cpu', async () => {
    const grads = async (backend: string) => {
      await tf.setBackend(backend);
      const x = tf.tensor(random([2, 6, 6, 2], 8).values, [2, 6, 6, 2]);
      const w = tf.tensor(random([3, 3, 2, 3], 9).values, [3, 3, 2, 3]);
      const g = tf.grads((a: tf.Tensor, b: tf.Tensor) =>
        tf
          .conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')
          .square()
          .sum(),
      )([x, w]);
      const out = g.map((t) => t.dataSync().slice());
      tf.dispose([x, w, ...g]);
      return out;
    };
    const [want, got] = [await grads('cpu'), await grads('wasm')];
    want.forEach((w, i) => w.forEach((v, j) => expect(got[i]?.[j]).toBeCloseTo(v, 3)));
  });
});
