import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { errorBodySchema, feedbackResponseSchema, metadataFileSchema } from '../src/contract';
import { decodeGrayPng } from '../src/storage/png';
import { makeApp, makeItem, postFeedback, tempDirs, type TestApp } from './helpers';

let dirs: ReturnType<typeof tempDirs>;
let t: TestApp;
beforeEach(async () => {
  dirs = tempDirs();
  t = await makeApp(dirs, { threshold: 4 });
});
afterEach(async () => {
  await t.close();
  dirs.cleanup();
});

const readJson = (...p: string[]) => JSON.parse(readFileSync(join(dirs.data, ...p), 'utf8'));

describe('POST /api/feedback', () => {
  it('stores a valid batch as PNG + metadata and answers after it is on disk', async () => {
    const a = makeItem({ label: 7, predicted: 1, confidence: 0.4 }, 200);
    const r = await postFeedback(t.app, { items: [a, makeItem()] });
    expect(r.status).toBe(200);
    expect(feedbackResponseSchema.parse(r.json)).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [],
      subset: { index: 0, count: 2, threshold: 4 },
    });
    const meta = metadataFileSchema.parse(readJson('sub_set_0', 'metadata.json'));
    expect(meta[0]).toMatchObject({
      true_label: 7,
      id: a.id,
      predicted_label: 1,
      confidence: 0.4,
      model_version: a.modelVersion,
      source: 'web_feedback',
      created_at: Date.parse(a.createdAt),
    });
    const png = decodeGrayPng(readFileSync(join(dirs.data, 'sub_set_0', meta[0]!.filename)));
    expect([png.width, png.height, png.gray.every((v) => v === 200)]).toEqual([28, 28, true]);
    expect(readJson('count.json')).toEqual({ current_count: 2, sub_set_count: 0 });
  });

  it('counts a replayed id as a duplicate and stores it once, also within one batch', async () => {
    const a = makeItem();
    await postFeedback(t.app, { items: [a] });
    const r = await postFeedback(t.app, { items: [a, { ...a, label: 9 }] });
    expect(r.json).toMatchObject({ accepted: 0, duplicates: 2 });
    const b = makeItem();
    const r2 = await postFeedback(t.app, { items: [b, b] });
    expect(r2.json).toMatchObject({ accepted: 1, duplicates: 1 });
    expect(
      readdirSync(join(dirs.data, 'sub_set_0')).filter((f) => f.endsWith('.png')),
    ).toHaveLength(2);
  });

  it('counts an acknowledged id resent in upper case as a duplicate (ids are canonical)', async () => {
    const a = makeItem();
    expect((await postFeedback(t.app, { items: [a] })).json).toMatchObject({ accepted: 1 });
    const r = await postFeedback(t.app, { items: [{ ...a, id: a.id.toUpperCase() }] });
    expect(r.json).toMatchObject({ accepted: 0, duplicates: 1 });
    const meta = metadataFileSchema.parse(readJson('sub_set_0', 'metadata.json'));
    expect(meta.map((e) => e.id)).toEqual([a.id]);
    const b = makeItem();
    const mixed = await postFeedback(t.app, { items: [{ ...b, id: b.id.toUpperCase() }, b] });
    expect(mixed.json).toMatchObject({ accepted: 1, duplicates: 1 });
  });

  it('keeps an optional clientId, canonical lower case, as client_id in the metadata', async () => {
    const clientId = 'A1B2C3D4-0000-4000-8000-00000000000F';
    const withId = makeItem({ clientId });
    const r = await postFeedback(t.app, { items: [withId, makeItem()] });
    expect(r.json).toMatchObject({ accepted: 2, rejected: [] });
    const meta = metadataFileSchema.parse(readJson('sub_set_0', 'metadata.json'));
    expect(meta.find((e) => e.id === withId.id)?.client_id).toBe(clientId.toLowerCase());
    expect(meta.find((e) => e.id !== withId.id)).not.toHaveProperty('client_id');
  });

  it('rejects bad items one by one with index, id and reason', async () => {
    const bad = makeItem({ label: 10 });
    const r = await postFeedback(t.app, {
      items: [bad, makeItem(), { ...makeItem(), pixels: 'AAAA' }, 42, { ...makeItem(), extra: 1 }],
    });
    expect(r.status).toBe(200);
    expect(r.json.accepted).toBe(1);
    expect(r.json.rejected.map((x: { index: number }) => x.index)).toEqual([0, 2, 3, 4]);
    expect(r.json.rejected[0]).toMatchObject({
      id: bad.id,
      reason: expect.stringMatching(/^label/),
    });
    expect(r.json.rejected[1].reason).toMatch(/784/);
  });

  it('rejects createdAt before 1970 (the file name holds milliseconds)', async () => {
    const r = await postFeedback(t.app, {
      items: [makeItem({ createdAt: '1969-12-31T23:59:59Z' })],
    });
    expect(r.json.rejected[0].reason).toMatch(/1970/);
  });

  it('seals a subset at the threshold and opens the next, even inside one batch', async () => {
    const sealed: number[][] = [];
    await t.close();
    t = await makeApp(dirs, {
      threshold: 4,
      driver: { ...noneDriver(), onSealed: (i) => sealed.push(i) },
    });
    const r = await postFeedback(t.app, { items: Array.from({ length: 9 }, () => makeItem()) });
    expect(r.json.subset).toEqual({ index: 2, count: 1, threshold: 4 });
    expect(readJson('sub_set_0', 'metadata.json')).toHaveLength(4);
    expect(readJson('sub_set_1', 'metadata.json')).toHaveLength(4);
    expect(readJson('sub_set_2', 'metadata.json')).toHaveLength(1);
    expect(readJson('count.json')).toEqual({ current_count: 1, sub_set_count: 2 });
    expect(sealed).toEqual([[0, 1]]);
  });

  it.each([
    ['malformed JSON', '{"items": [', 'bad_request'],
    ['no items', {}, 'invalid_envelope'],
    ['empty items', { items: [] }, 'invalid_envelope'],
    ['101 items', { items: Array.from({ length: 101 }, () => ({})) }, 'invalid_envelope'],
    ['extra key', { items: [makeItem()], more: 1 }, 'invalid_envelope'],
    ['an array', [makeItem()], 'invalid_envelope'],
  ])('answers 400 with a JSON error for %s', async (_name, body, code) => {
    const r = await postFeedback(t.app, body);
    expect(r.status).toBe(400);
    expect(errorBodySchema.parse(r.json).error.code).toBe(code);
  });

  it('answers 415 for a body not declared JSON', async () => {
    const r = await postFeedback(t.app, 'hello', { 'content-type': 'text/plain' });
    expect(r.status).toBe(415);
    expect(r.json.error.code).toBe('unsupported_media_type');
  });

  it('answers 413 for a body over 512 KiB, declared or not', async () => {
    const r = await postFeedback(t.app, 'x'.repeat(600 * 1024));
    expect([r.status, r.json.error.code]).toEqual([413, 'payload_too_large']);
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new Uint8Array(64 * 1024).fill(32));
        c.close();
      },
    });
    const res = await t.app.request('/api/feedback', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('rate-limits per client with 429 and Retry-After', async () => {
    await t.close();
    t = await makeApp(dirs, {
      rateLimitPerMin: 2,
      clientKey: (c) => c.req.header('x-client') ?? '',
    });
    const send = (client: string) =>
      postFeedback(t.app, { items: [makeItem()] }, { 'x-client': client });
    expect((await send('a')).status).toBe(200);
    expect((await send('a')).status).toBe(200);
    const limited = await send('a');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(limited.json.error.code).toBe('rate_limited');
    expect((await send('b')).status).toBe(200);
  });

  it('counts accepted, rejected and duplicate items in /metrics', async () => {
    const a = makeItem();
    await postFeedback(t.app, { items: [a, a, makeItem({ label: -1 })] });
    const text = await (await t.app.request('/metrics')).text();
    expect(text).toMatch(/feedback_items_total\{result="accepted"\} 1/);
    expect(text).toMatch(/feedback_items_total\{result="rejected"\} 1/);
    expect(text).toMatch(/feedback_items_total\{result="duplicate"\} 1/);
  });
});

function noneDriver() {
  return {
    name: 'none' as const,
    onSealed: () => undefined,
    requestRun: () => false,
    status: () => ({ state: 'idle' as const, lastRun: null }),
    close: async () => undefined,
  };
}
