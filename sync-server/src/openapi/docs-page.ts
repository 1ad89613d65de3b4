import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

// The reference page (`GET /api/docs`): Scalar's standalone bundle, served by this server.

/** Where the page loads its scripts from: this server, never a CDN. */
export const DOCS_ASSETS = ['scalar.js', 'init.js'];
export const DOCS_SCRIPTS = DOCS_ASSETS.map((name) => `/api/docs/${name}`);

// Scalar's standalone build: one self-contained script. The package exports no path to it,
// so it is found beside a file it does export.
const SCALAR_DIST = dirname(
  createRequire(import.meta.url).resolve('@scalar/api-reference/style.css'),
);
export const SCALAR_BUNDLE = join(SCALAR_DIST, 'browser', 'standalone.js');

// Kept off every network: no web fonts (fonts.scalar.com), no telemetry, no AI agent. The
// Content-Security-Policy (connect-src, font-src 'self') refuses them anyway.
export const INIT_JS = `Scalar.createApiReference('#app', ${JSON.stringify({
  url: '/api/openapi.json',
  withDefaultFonts: false,
  telemetry: false,
  agent: { disabled: true },
  showDeveloperTools: 'never',
})});\n`;

// Scripts only from files: the CSP (script-src 'self') allows no inline script.
export const DOCS_PAGE = `<!doctype html>
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
