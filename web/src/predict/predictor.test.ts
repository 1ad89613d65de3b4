import { afterEach, describe, expect, it } from 'vitest';
import type { Manifest } from 'sync-server/contract';
import type { BackendChoice } from './backend-choice';
import { timing } from './backend-choice';
import { createPredictor, type PredictorDeps } from './predictor';
import { fakeEngine } from './test-engine';

const V1 = '2026-11-26T12-00-00-001Z';
const V2 = '2026-11-26T12-00-00-002Z';
const manifest = (current: string) => ({ current }) as Manifest;

let stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops) stop();
  stops = [];
});

/** A predictor on a fake engine; `live` is what the server says, `kept` what the device has. */
function setup(options: { live?: string; kept?: string[]; broken?: string[] } = {}) {
  const fake = fakeEngine({ broken: options.broken });
  let live = options.live ?? V1;
  const kept = [...(options.kept ?? [])];
  const saved: BackendChoice[] = [];
  let measureNow: (() => void) | null = null;
  const win = new EventTarget();
  const deps: PredictorDeps = {
    loadEngine: async () => fake.engine,
    readManifest: async () => ({ manifest: manifest(live), fresh: true }),
    fetchManifest: async () => manifest(live),
    keptVersions: () => kept,
    keepVersion: async (v) => void kept.unshift(v),
    loadChoice: () => null,
    saveChoice: (c) => void saved.push(c),
    measure: async (b) => timing(b, b === 'webgl' ? [1, 1, 1] : [5, 5, 5]),
    scheduleMeasure: (run) => (measureNow = run),
    updateCheckMs: 60_000,
    watch: { window: win, document: new EventTarget() as unknown as Document },
    warmPause: () => Promise.resolve(),
  };
  const predictor = createPredictor(deps);
  stops.push(predictor.stop);
  return {
    predictor,
    fake,
    saved,
    win,
    setLive: (v: string) => (live = v),
    measureNow: () => measureNow,
  };
}

describe('createPredictor', () => {
  it('loads the live model and predicts with it', async () => {
    const { predictor } = setup();
    await predictor.start();
    expect(predictor.state.value).toBe('ready');
    expect([predictor.version.value, predictor.backend.value]).toEqual([V1, 'wasm']);
    const prediction = await predictor.predict(new Uint8Array(784));
    expect(prediction.top[0]).toMatchObject({ digit: 1 });
  });

  it('serves a kept version when the live one fails, and offers the live one', async () => {
    const { predictor } = setup({ live: V2, kept: [V1], broken: [V2] });
    await predictor.start();
    expect([predictor.version.value, predictor.newerVersion.value]).toEqual([V1, V2]);
  });

  it('says in words when no model can load', async () => {
    const { predictor } = setup({ broken: [V1] });
    await predictor.start();
    expect(predictor.state.value).toBe('error');
    expect(predictor.error.value).toMatch(/^The model could not be loaded: 404/);
  });

  it('notices a newer live model on `online` and switches to it on request', async () => {
    const { predictor, win, setLive } = setup({ kept: [] });
    await predictor.start();
    setLive(V2);
    win.dispatchEvent(new Event('online'));
    await expect.poll(() => predictor.newerVersion.value).toBe(V2);
    await predictor.useNewer();
    expect([predictor.version.value, predictor.newerVersion.value]).toEqual([V2, null]);
    expect((await predictor.predict(new Uint8Array(784))).top[0]!.digit).toBe(2);
  });

  it('tells which version it updated from when the device had an older one', async () => {
    const { predictor } = setup({ live: V2, kept: [V1] });
    await predictor.start();
    expect([predictor.version.value, predictor.updatedFrom.value]).toEqual([V2, V1]);
  });

  it('measures backends once ready, saves the choice and moves to the fastest', async () => {
    const { predictor, saved, measureNow } = setup();
    await predictor.start();
    expect(predictor.backend.value).toBe('wasm');
    await predictor.measureBackends();
    expect(measureNow()).not.toBeNull();
    expect(saved.map((c) => c.backend)).toEqual(['webgl']);
    expect([predictor.backend.value, predictor.choice.value?.backend]).toEqual(['webgl', 'webgl']);
    expect(predictor.version.value).toBe(V1);
  });
});
