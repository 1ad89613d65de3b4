import { describe, expect, it } from 'vitest';
import { Hono } from 'hono';
import { securityHeaders } from '../web/security-headers';
import { openApiDocument } from './document';
import { DOCS_SCRIPTS } from './docs-page';
import { openApiRoutes } from './routes';

const app = new Hono().use(securityHeaders()).route('/api', openApiRoutes());

describe('GET /api/openapi.json', () => {
  it('serves the generated document', async () => {
    const res = await app.request('/api/openapi.json');
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });
});

describe('GET /api/docs', () => {
  it('references only same-origin URLs, and no inline script', async () => {
    const res = await app.request('/api/docs');
    expect(res.status).toBe(200);
    const html = await res.text();
    const urls = [...html.matchAll(/\b(?:src|href)\s*=\s*"([^"]*)"/g)].map((m) => m[1]!);
    expect(urls).toEqual(DOCS_SCRIPTS);
    for (const url of urls) expect(url).toMatch(/^\/(?!\/)/);
    expect(html).not.toMatch(/https?:|\/\//);
    // The CSP allows scripts from files only; every <script> must have a src.
    expect(html.match(/<script\b/g)?.length).toBe(html.match(/<script src="/g)?.length);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
  });

  it('serves every script the page names, from this server', async () => {
    for (const url of DOCS_SCRIPTS) {
      const res = await app.request(url);
      expect([url, res.status]).toEqual([url, 200]);
      expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    const res = await app.request('/api/docs/scalar.js');
    expect(await res.text()).toContain('createApiReference');
  });

  it('sends the 5 MB bundle compressed, and answers 304 while it is unchanged', async () => {
    const gzip = { 'accept-encoding': 'gzip' };
    const res = await app.request('/api/docs/scalar.js', { headers: gzip });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^W\/".+"$/);
    for (const tag of [etag, etag.slice(2)]) {
      const again = await app.request('/api/docs/scalar.js', {
        headers: { ...gzip, 'if-none-match': tag },
      });
      expect(again.status).toBe(304);
    }
  });

  it('starts the reference with web fonts, telemetry and the AI agent off', async () => {
    const init = await (await app.request('/api/docs/init.js')).text();
    expect(init).toContain('"url":"/api/openapi.json"');
    expect(init).toContain('"withDefaultFonts":false');
    expect(init).toContain('"telemetry":false');
    expect(init).toContain('"agent":{"disabled":true}');
  });
});
