import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The budget (root README) for the JavaScript a first visit needs before tfjs arrives.
const INITIAL_JS_BUDGET_GZIP = 500 * 1024;
let out: string;
const read = (file: string) => fs.readFileSync(path.join(out, file), 'utf8');

describe('production build', () => {
  beforeAll(async () => {
    out = fs.mkdtempSync(path.join(os.tmpdir(), 'web-build-'));
    await build({
      root: WEB,
      configFile: path.join(WEB, 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir: out, emptyOutDir: true },
    });
  }, 180_000);
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('emits a web manifest with name, theme and 192/512/maskable icons, linked from index.html', () => {
    const manifest = JSON.parse(read('manifest.webmanifest'));
    expect(manifest).toMatchObject({ name: expect.any(String), display: 'standalone' });
    expect(manifest.theme_color).toMatch(/^#/);
    const icons: { src: string; sizes: string; purpose?: string }[] = manifest.icons;
    expect(icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(icons.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of icons) expect(fs.existsSync(path.join(out, icon.src))).toBe(true);
    expect(read('index.html')).toContain('rel="manifest" href="/manifest.webmanifest"');
  });

  it('emits a service worker that precaches the shell and the SIMD wasm binary', () => {
    const sw = read('sw.js');
    expect(sw).toContain('index.html');
    expect(sw).toMatch(/tfjs-backend-wasm-simd-[\w-]+\.wasm/);
    expect(sw).toMatch(/tfjs-backend-wasm-[\w-]+\.wasm/);
    expect(sw).not.toContain('self.__WB_MANIFEST');
    expect(sw).toContain('feedback-sync');
  });

  it('keeps tfjs out of the initial script and under the size budget', () => {
    const html = read('index.html');
    const entry = /<script type="module" crossorigin src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    const code = read(entry!);
    expect(code).not.toContain('WebGL');
    expect(gzipSync(code).length).toBeLessThan(INITIAL_JS_BUDGET_GZIP);
  });
});
