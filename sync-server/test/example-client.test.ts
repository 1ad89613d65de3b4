import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exampleItem, postBatch } from '../examples/post-batch';
import { makeApp, tempDirs, type TestApp } from './helpers';

let dirs: ReturnType<typeof tempDirs>;
let t: TestApp;
beforeEach(async () => {
  dirs = tempDirs();
  t = await makeApp(dirs, { rateLimitPerMin: 2, clientKey: () => 'example' });
});
afterEach(async () => {
  await t.close();
  dirs.cleanup();
});

// The example's client, with its fetch routed into the app in memory.
const viaApp = (request: Request) => Promise.resolve(t.app.request(request));

describe('examples/post-batch.ts', () => {
  it('stores a batch, and a resend counts as duplicates', async () => {
    const items = [exampleItem(1), exampleItem(7)];
    const first = await postBatch('http://server.test', items, viaApp);
    expect(first).toMatchObject({ ok: true, result: { accepted: 2, duplicates: 0, rejected: [] } });
    const again = await postBatch('http://server.test', items, viaApp);
    expect(again).toMatchObject({ ok: true, result: { accepted: 0, duplicates: 2 } });
    expect(t.store.totals().total).toBe(2);
  });

  it('reports a refusal with its code and when to retry', async () => {
    await postBatch('http://server.test', [exampleItem(2)], viaApp);
    await postBatch('http://server.test', [exampleItem(3)], viaApp);
    const limited = await postBatch('http://server.test', [exampleItem(4)], viaApp);
    expect(limited).toMatchObject({ ok: false, status: 429, error: { code: 'rate_limited' } });
    expect(limited.ok ? null : limited.retryAfterS).toBeGreaterThan(0);
  });
});
