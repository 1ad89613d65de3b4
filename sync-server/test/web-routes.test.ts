import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hc } from 'hono/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppType } from '../src/app-type';
import { CANARY, makeApp, makeItem, jsonOf, tempDirs, V1, type TestApp } from './helpers';

const SECRET = 'SECRET=planted-dotfile';
let dirs: ReturnType<typeof tempDirs>;
let t: TestApp;
beforeAll(async () => {
  dirs = tempDirs();
  const dist = join(dirs.root, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>app</title>');
  writeFileSync(join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {});');
  writeFileSync(join(dist, 'manifest.webmanifest'), '{"name":"digits"}');
  writeFileSync(join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'tfjs-backend-wasm.wasm'), Buffer.from([0, 97, 115, 109]));
  writeFileSync(join(dist, '.env'), SECRET);
  mkdirSync(join(dist, '.git'));
  writeFileSync(join(dist, '.git', 'config'), SECRET);
  writeFileSync(join(dist, 'assets', '.hidden.js'), SECRET);
  mkdirSync(join(dist, '.well-known'));
  writeFileSync(join(dist, '.well-known', 'security.txt'), 'Contact: mailto:x@example.com');
  t = await makeApp(dirs, { webDist: dist, corsOrigins: ['https://digits.example'] });
});
afterAll(async () => {
  await t.close();
  dirs.cleanup();
});

describe('the built web app', () => {
  it('serves index.html with a CSP that lets tfjs wasm run, and no cross-origin isolation', async () => {
    const res = await t.app.request('/');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>app</title>');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'self' 'wasm-unsafe-eval'/);
    expect(csp).toMatch(/worker-src 'self' blob:/);
    expect(csp).toMatch(/img-src 'self' blob: data:/);
    expect(csp).not.toMatch(/unsafe-eval'(?!.)|'unsafe-eval'/);
    expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(res.headers.get('cross-origin-embedder-policy')).toBeNull();
  });

  it('falls back to index.html for client routes, not for missing files or API paths', async () => {
    expect(await (await t.app.request('/dashboard/history')).text()).toContain(
      '<title>app</title>',
    );
    expect((await t.app.request('/missing.js')).status).toBe(404);
    const api = await t.app.request('/api/nothing');
    expect([api.status, (await jsonOf(api)).error.code]).toEqual([404, 'not_found']);
    expect((await t.app.request('/models/nothing')).status).toBe(404);
  });

  it('serves the service worker revalidated and the web manifest with its type', async () => {
    const sw = await t.app.request('/sw.js');
    expect(sw.headers.get('cache-control')).toBe('no-cache');
    expect(sw.headers.get('content-type')).toMatch(/javascript/);
    const wm = await t.app.request('/manifest.webmanifest');
    expect(wm.headers.get('content-type')).toBe('application/manifest+json');
  });

  it('caches hashed assets forever and serves wasm as application/wasm', async () => {
    const js = await t.app.request('/assets/index-abc123.js');
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const wasm = await t.app.request('/assets/tfjs-backend-wasm.wasm');
    expect(wasm.headers.get('content-type')).toBe('application/wasm');
  });

  it('answers 404 for dotfiles and dot-folders, encoded or not, but serves .well-known', async () => {
    for (const p of [
      '/.env',
      '/%2eenv',
      '/.git/config',
      '/assets/.hidden.js',
      '/.git',
      '/%2Egit/config',
    ]) {
      const res = await t.app.request(`http://localhost${p}`);
      expect(res.status, p).toBe(404);
      expect(await res.text(), p).not.toContain(SECRET);
    }
    const known = await t.app.request('/.well-known/security.txt');
    expect(known.status).toBe(200);
    expect(await known.text()).toContain('Contact:');
  });

  it('serves nothing outside web/dist', async () => {
    for (const p of [
      '/../canary.txt',
      '/%2e%2e/canary.txt',
      '/..%2fcanary.txt',
      '/assets/..%2f..%2fcanary.txt',
    ]) {
      expect(await (await t.app.request(`http://localhost${p}`)).text()).not.toContain(CANARY);
    }
  });
});

describe('CORS', () => {
  it('allows only configured origins', async () => {
    const ok = await t.app.request('/api/status', {
      headers: { origin: 'https://digits.example' },
    });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://digits.example');
    const other = await t.app.request('/api/status', {
      headers: { origin: 'https://evil.example' },
    });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const pre = await t.app.request('/api/feedback', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://evil.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    });
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('AppType', () => {
  it('types an hc client that works against the app', async () => {
    const client = hc<AppType>('http://localhost', {
      fetch: (input: string | URL | Request, init?: RequestInit) => t.app.request(input, init),
    });
    const res = await client.api.feedback.$post({ json: { items: [makeItem()] } });
    expect(res.status).toBe(200);
    // Typed from the route: `accepted` exists on the 200 body without any cast.
    if (res.status === 200) expect((await res.json()).accepted).toBe(1);
    const status = await (await client.api.status.$get()).json();
    expect(status.currentVersion).toBe(V1);
  });
});
