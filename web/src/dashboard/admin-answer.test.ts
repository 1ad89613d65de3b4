import { describe, expect, it } from 'vitest';
import { answer } from './admin-answer';

/** A stand-in for a contract schema: accepts `{ n: number }`. */
const schema = {
  safeParse: (value: unknown) =>
    typeof value === 'object' && value !== null && typeof (value as { n?: unknown }).n === 'number'
      ? { success: true as const, data: value as { n: number } }
      : { success: false as const },
};
const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('answer', () => {
  it('gives the parsed body of a good answer', async () => {
    expect(await answer(() => Promise.resolve(json({ n: 3 })), schema)).toEqual({
      ok: true,
      value: { n: 3 },
    });
  });

  it('says the server is out of reach when the request throws', async () => {
    const result = await answer(() => Promise.reject(new TypeError('offline')), schema);
    expect(result).toEqual({ ok: false, message: 'The server is out of reach.' });
  });

  it("quotes the server's error message on a refusal", async () => {
    const body = { error: { code: 'unauthorized', message: 'bad token' } };
    const result = await answer(() => Promise.resolve(json(body, 401)), schema);
    expect(result).toEqual({ ok: false, message: 'Refused (HTTP 401): bad token' });
  });

  it('refuses a body the schema does not know', async () => {
    const result = await answer(() => Promise.resolve(json({ n: 'three' })), schema);
    expect(result).toEqual({ ok: false, message: 'The server answer was not understood.' });
  });
});
