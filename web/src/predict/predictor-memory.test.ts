import { afterEach, describe, expect, it } from 'vitest';
import type { Manifest } from 'sync-server/contract';
import { PersonalMemory, type MemoryStore } from '../memory/personal-memory';
import type { MemoryEntry } from '../memory/memory-db';
import { timing } from './backend-choice';
import { createPredictor, type Prediction } from './predictor';
import { lean, leaning } from '../memory/hand.fixtures';
import { fakeEngine } from './test-engine';

const V1 = '2026-11-26T12-00-00-001Z';
const V2 = '2026-11-26T12-00-00-002Z';

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

function arrayStore(): MemoryStore & { entries: MemoryEntry[] } {
  const s = {
    entries: [] as MemoryEntry[],
    add: async (e: MemoryEntry) => void s.entries.push(e),
    remove: async () => false,
    all: async () => [...s.entries],
    clear: async () => void (s.entries = []),
  };
  return s;
}

/** A predictor on the fake engine (V1 reads everything as 1, V2 as 2) with a personal memory. */
function setup(fake = fakeEngine()) {
  const store = arrayStore();
  const memory = new PersonalMemory(store);
  let live = V1;
  const win = new EventTarget();
  const predictor = createPredictor({
    loadEngine: async () => fake.engine,
    readManifest: async () => ({ manifest: { current: live } as Manifest, fresh: true }),
    fetchManifest: async () => ({ current: live }) as Manifest,
    keptVersions: () => [],
    keepVersion: async () => undefined,
    loadChoice: () => ({ backend: 'wasm', timings: [timing('wasm', [1])], failures: {} }) as never,
    saveChoice: () => undefined,
    measure: async (b) => timing(b, [1]),
    scheduleMeasure: () => undefined,
    updateCheckMs: 60_000,
    watch: { window: win, document: new EventTarget() as unknown as Document },
    warmPause: () => Promise.resolve(),
    memory,
  });
  stops.push(predictor.stop);
  return { predictor, fake, store, memory, win, setLive: (v: string) => (live = v) };
}

const answer = (p: Prediction) => ({ digit: p.top[0]!.digit, personal: p.personal });

/** A vertical bar at column `x`: drawings with different columns embed differently. */
function bar(x: number): Uint8Array {
  const pixels = new Uint8Array(784);
  for (let y = 2 + x; y < 10 + x; y++) pixels[y * 28 + x] = 255;
  return pixels;
}

describe('predictor with a personal memory', () => {
  it('reads a corrected digit right the next time, and only that drawing', async () => {
    const { predictor, store } = setup();
    await predictor.start();
    expect(answer(await predictor.predict(bar(4)))).toEqual({ digit: 1, personal: false });
    await predictor.remember({ pixels: bar(4), label: 7 });
    expect(store.entries.map((e) => e.label)).toEqual([7]);
    expect(answer(await predictor.predict(bar(4)))).toEqual({ digit: 7, personal: true });
    expect((await predictor.predict(bar(14))).top[0]!.digit).toBe(1);
  });

  it('recomputes the embeddings from the stored pixels when a new model loads', async () => {
    const { predictor, fake, memory, win, setLive } = setup();
    await predictor.start();
    await predictor.remember({ pixels: bar(4), label: 7 });
    setLive(V2);
    win.dispatchEvent(new Event('online'));
    await expect.poll(() => predictor.newerVersion.value).toBe(V2);
    await predictor.useNewer();
    await expect.poll(() => memory.model(V2)).not.toBeNull();
    expect(fake.calls.filter((c) => c.startsWith('embed') && c.includes(V2))).not.toHaveLength(0);
    expect(memory.model(V1)).toBeNull();
    expect(answer(await predictor.predict(bar(4)))).toEqual({ digit: 7, personal: true });
    expect((await predictor.predict(bar(14))).top[0]!.digit).toBe(2);
  });

  it("predicts in the caller's task, so work queued before it (a render) is not timed", async () => {
    const { predictor, fake } = setup();
    await predictor.start();
    await predictor.remember({ pixels: bar(4), label: 7 });
    /** The engine call a prediction made before its first await. */
    const firstCall = () => {
      const ran = fake.calls.length;
      const prediction = predictor.predict(bar(4));
      return { call: fake.calls[ran], prediction };
    };
    // Once the background warm-up leaves the slot free, the model runs before any await.
    await expect.poll(() => firstCall().call).toMatch(/^now /);
    const { call, prediction } = firstCall();
    expect(call).toMatch(/^now /);
    expect(answer(await prediction)).toEqual({ digit: 7, personal: true });
  });

  it('gives the global answer again once the memory is cleared', async () => {
    const { predictor, memory } = setup();
    await predictor.start();
    await predictor.remember({ pixels: bar(4), label: 7 });
    await memory.clear();
    expect(answer(await predictor.predict(bar(4)))).toEqual({ digit: 1, personal: false });
  });

  it('sees the digits through the hand fitted to the answers, and says so', async () => {
    // A model that reads a bar as 1 upright and as 7 leaning; this writer's bars all lean.
    const fake = fakeEngine();
    const read = (pixels: Uint8Array) => {
      const one = Math.exp(-((lean(pixels) / 12) ** 2));
      return {
        probabilities: Float32Array.from({ length: 10 }, (_, c) =>
          c === 1 ? one : c === 7 ? 1 - one : 0,
        ),
        embedding: Float32Array.of(1, lean(pixels) / 45),
      };
    };
    Object.assign(fake.engine, {
      predict: async (_: unknown, pixels: Uint8Array) => read(pixels).probabilities,
      predictWithEmbedding: async (_: unknown, pixels: Uint8Array) => read(pixels),
      predictNow: (_: unknown, pixels: Uint8Array) => read(pixels),
      classify: async (_: unknown, images: Uint8Array[]) =>
        images.map((i) => read(i).probabilities),
    });
    const { predictor, memory } = setup(fake);
    await predictor.start();
    const [first, ...rest] = leaning(20, 9);
    expect(answer(await predictor.predict(first!.pixels))).toEqual({ digit: 7, personal: false });
    for (const a of rest) await predictor.remember(a);
    await memory.settled();
    expect(memory.hand(V1).rotationDeg).toBeLessThan(-10);
    const seen = await predictor.predict(first!.pixels);
    // The answer is out before the model's own view is known; the badge follows it.
    expect(answer(seen)).toEqual({ digit: 1, personal: false });
    expect(await seen.personalCheck).toBe(true);
    expect(seen.hand).toEqual(memory.hand(V1)); // what the result panel explains
    await memory.clear();
    const plain = await predictor.predict(first!.pixels);
    expect(answer(plain)).toEqual({ digit: 7, personal: false });
    expect(plain.hand).toBeNull();
    expect(plain.personalCheck).toBeNull();
  });
});
