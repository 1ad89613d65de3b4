import { describe, expect, it } from 'vitest';
import { postBatch } from './post-batch';
import { testItem } from './test-items';

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  async () =>
    new Response(JSON.stringify(body), { status, headers });

describe('postBatch', () => {
  it('posts {items} as JSON to /api/feedback and parses the answer', async () => {
    let sent: unknown;
    let request = '';
    const fetchFn = async (url: RequestInfo | URL, init?: RequestInit) => {
      request = `${init?.method} ${String(url)} ${new Headers(init?.headers).get('content-type')}`;
      sent = JSON.parse(String(init?.body));
      const subset = { index: 0, count: 1, threshold: 10 };
      return new Response(JSON.stringify({ accepted: 1, duplicates: 0, rejected: [], subset }));
    };
    const item = testItem();
    const result = await postBatch([item], fetchFn);
    expect(request).toBe('POST /api/feedback application/json');
    expect(sent).toEqual({ items: [item] });
    expect(result).toMatchObject({ kind: 'answered', response: { accepted: 1 } });
  });

  it('retries on network errors, 5xx and 429 (honouring Retry-After)', async () => {
    const down = async () => Promise.reject(new TypeError('Failed to fetch'));
    expect((await postBatch([testItem()], down)).kind).toBe('retry');
    expect((await postBatch([testItem()], json(503, {}))).kind).toBe('retry');
    const limited = await postBatch([testItem()], json(429, {}, { 'retry-after': '7' }));
    expect(limited).toEqual({ kind: 'retry', message: 'HTTP 429', retryAfterMs: 7000 });
  });

  it('refuses on other 4xx, carrying the server message', async () => {
    const body = { error: { code: 'bad_request', message: 'items must be an array' } };
    const result = await postBatch([testItem()], json(400, body));
    expect(result).toEqual({ kind: 'refused', message: 'HTTP 400: items must be an array' });
  });
});
