import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync } from 'node:zlib';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { staticWeb } from './static-web';

const dist = mkdtempSync(join(tmpdir(), 'static-web-'));
afterAll(() => rmSync(dist, { recursive: true, force: true }));
const SHELL = '<!doctype html><title>shell</title>' + ' '.repeat(2000);
const SCRIPT = 'console.info("app");'.repeat(200);
mkdirSync(join(dist, 'assets'));
writeFileSync(join(dist, 'index.html'), SHELL);
writeFileSync(join(dist, 'index.html.br'), brotliCompressSync(SHELL));
writeFileSync(join(dist, 'assets', 'index-abc123.js'), SCRIPT);
writeFileSync(join(dist, 'assets', 'index-abc123.js.br'), brotliCompressSync(SCRIPT));

const web = staticWeb(dist, silentLogger);
const app = new Hono();
if (web) app.get('*', web);

describe('staticWeb', () => {
  it('answers the real view paths with the app shell', async () => {
    for (const path of ['/', '/dashboard', '/answers']) {
      const res = await app.request(path);
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe(SHELL);
      expect(res.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('sends the brotli copy to a client that takes it, the plain file to one that does not', async () => {
    const br = await app.request('/assets/index-abc123.js', {
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    });
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(br.headers.get('vary')).toMatch(/accept-encoding/i);
    expect(br.headers.get('content-type')).toMatch(/javascript/);
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(SCRIPT);
    const plain = await app.request('/assets/index-abc123.js');
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(SCRIPT);
  });

  it('keeps hashed assets for a year and refuses a missing file rather than sending the shell', async () => {
    const res = await app.request('/assets/index-abc123.js');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await app.request('/assets/gone-123.js')).status).toBe(404);
  });
});
