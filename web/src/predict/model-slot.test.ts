import { describe, expect, it } from 'vitest';
import { ModelSlot } from './model-slot';
import { fakeEngine } from './test-engine';

const V1 = '2026-11-26T12-00-00-001Z';
const V2 = '2026-11-26T12-00-00-002Z';
const noPause = () => Promise.resolve();

function slotWith(fake: ReturnType<typeof fakeEngine>) {
  const kept: string[] = [];
  const slot = new ModelSlot({
    engine: fake.engine,
    keepVersion: async (v) => void kept.push(v),
    warmPause: noPause,
  });
  return { slot, kept };
}

describe('ModelSlot', () => {
  it('loads the live version on the preferred backend and keeps it for offline', async () => {
    const fake = fakeEngine();
    const { slot, kept } = slotWith(fake);
    expect(await slot.start('webgl', [V1])).toBe(V1);
    expect([slot.version, slot.backend, kept]).toEqual([V1, 'webgl', [V1]]);
    expect((await slot.predict(new Uint8Array(784)))[1]).toBeCloseTo(0.9);
  });

  it('falls back to a kept version when the live one cannot load', async () => {
    const fake = fakeEngine({ broken: [V2] });
    const { slot } = slotWith(fake);
    expect(await slot.start(undefined, [V2, V1, V2])).toBe(V1);
    expect(fake.calls.filter((c) => c.startsWith('load'))).toHaveLength(2);
  });

  it('fails with the last load error when no version loads', async () => {
    const { slot } = slotWith(fakeEngine({ broken: [V1] }));
    await expect(slot.start(undefined, [V1])).rejects.toThrow(`404 /models/${V1}/model.json`);
    await expect(slot.predict(new Uint8Array(784))).rejects.toThrow(/not loaded/);
  });

  it('replaces the model: the old one is freed, predictions use the new one', async () => {
    const fake = fakeEngine();
    const { slot } = slotWith(fake);
    await slot.start(undefined, [V1]);
    await slot.load(V2);
    expect(fake.models.map((m) => m.disposed)).toEqual([true, false]);
    expect((await slot.predict(new Uint8Array(784)))[2]).toBeCloseTo(0.9);
  });

  it('never lets a prediction run while a load is in progress', async () => {
    const fake = fakeEngine();
    const { slot } = slotWith(fake);
    await slot.start(undefined, [V1]);
    // Both are queued at once; the prediction must see the old model alive or the new one.
    const [, probabilities] = await Promise.all([slot.load(V2), slot.predict(new Uint8Array(784))]);
    expect(probabilities[2]).toBeCloseTo(0.9);
  });

  it("predicts in the caller's task when the slot is free and the backend reads synchronously", async () => {
    const fake = fakeEngine();
    const { slot } = slotWith(fake);
    await slot.start('wasm', [V1]);
    // Lets the background warm-up finish: it holds the slot for a turn at a time.
    await expect.poll(async () => slot.runNow(new Uint8Array(784))).not.toBeNull();
    const out = slot.runNow(new Uint8Array(784))!;
    expect([out.version, out.probabilities[1]]).toEqual([V1, expect.closeTo(0.9)]);
    const loading = slot.load(V2);
    expect(slot.runNow(new Uint8Array(784))).toBeNull(); // a load holds the slot: wait in `run`
    await loading;
    await slot.switchBackend('webgl');
    expect(slot.runNow(new Uint8Array(784))).toBeNull(); // WebGL reads back asynchronously
    expect((await slot.run(new Uint8Array(784))).version).toBe(V2);
  });

  it('switches backend and reloads the model in use there', async () => {
    const fake = fakeEngine();
    const { slot } = slotWith(fake);
    await slot.start('wasm', [V1]);
    await slot.switchBackend('webgl');
    expect([slot.backend, slot.version]).toEqual(['webgl', V1]);
    expect(fake.models.map((m) => m.disposed)).toEqual([true, false]);
  });
});
