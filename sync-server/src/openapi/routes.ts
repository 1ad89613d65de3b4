import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { openApiDocument } from './document';

/** Where the page loads its scripts from: this server, never a CDN. */
export const DOCS_SCRIPTS = ['/api/docs/scalar.js', '/api/docs/init.js'];

// Scalar's standalone build: one self-contained script. The package exports no path to it,
// so it is found beside a file it does export.
const SCALAR_DIST = dirname(
  createRequire(import.meta.url).resolve('@scalar/api-reference/style.css'),
);
const SCALAR_BUNDLE = join(SCALAR_DIST, 'browser', 'standalone.js');

// Kept off every network: no web fonts (fonts.scalar.com), no telemetry, no AI agent. The
// Content-Security-Policy (connect-src, font-src 'self') refuses them anyway.
const INIT_JS = `Scalar.createApiReference('#app', ${JSON.stringify({
  url: '/api/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: 'never',
})});\n`;

// Scripts only from files: the CSP (script-src 'self') allows no inline script.
const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>digit-loop sync API</title>
  </head>
  <body>
    <div id="app"></div>
${DOCS_SCRIPTS.map((src) => `    <script src="${src}"></script>`).join('\n')}
  </body>
</html>
`;

/** `GET /api/openapi.json`, `GET /api/docs` and its scripts; mounted under `/api`. */
export function openApiRoutes() {
  const document = JSON.stringify(openApiDocument());
  let bundle: Uint8Array<ArrayBuffer> | null = null;
  const js = { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' };
  return new Hono()
    .get('/openapi.json', (c) =>
      c.body(document, 200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-cache',
      }),
    )
    .get('/docs', (c) => c.html(PAGE, 200, { 'Cache-Control': 'no-cache' }))
    .get('/docs/init.js', (c) => c.body(INIT_JS, 200, js))
    .get('/docs/scalar.js', compress(), (c) => {
      // Read on first use: a server nobody reads the docs of never loads 5 MB of script.
      bundle ??= new Uint8Array(readFileSync(SCALAR_BUNDLE));
      return c.body(bundle, 200, js);
    });
}
