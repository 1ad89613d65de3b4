import { describe, expect, it } from 'vitest';
import { readManifest } from './manifest';
import { MemoryStorage, testManifest } from './test-storage';

const manifest = testManifest;
const V1 = '2026-11-26T12-00-00-000Z';
const V2 = '2026-11-26T13-00-00-000Z';
const serve = (body: unknown, status = 200) =>
  (async () => new Response(JSON.stringify(body), { status })) as unknown as typeof fetch;
const down = (async () => Promise.reject(new TypeError('Failed to fetch'))) as typeof fetch;

describe('readManifest (network first, kept copy second)', () => {
  it('prefers the network and keeps what it got', async () => {
    const storage = new MemoryStorage();
    expect(await readManifest(storage, serve(manifest(V1)))).toMatchObject({ fresh: true });
    const second = await readManifest(storage, serve(manifest(V2)));
    expect(second).toMatchObject({ fresh: true, manifest: { current: V2 } });
  });

  it('falls back to the kept copy offline or when the server errs', async () => {
    const storage = new MemoryStorage();
    await readManifest(storage, serve(manifest(V1)));
    expect(await readManifest(storage, down)).toMatchObject({
      fresh: false,
      manifest: { current: V1 },
    });
    const broken = await readManifest(storage, serve({ error: 'x' }, 500));
    expect(broken).toMatchObject({ fresh: false, manifest: { current: V1 } });
  });

  it('does not keep a manifest that breaks the contract', async () => {
    const storage = new MemoryStorage();
    await readManifest(storage, serve(manifest(V1)));
    const bad = { ...manifest(V2), current: 'not-a-version' };
    expect(await readManifest(storage, serve(bad))).toMatchObject({
      fresh: false,
      manifest: { current: V1 },
    });
  });

  it('fails with the reason on a first visit offline', async () => {
    await expect(readManifest(new MemoryStorage(), down)).rejects.toThrow(/Failed to fetch/);
  });
});
