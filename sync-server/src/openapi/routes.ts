import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { compress } from 'hono/compress';
import { DOCS_PAGE, INIT_JS, SCALAR_BUNDLE } from './docs-page';
import { openApiDocument } from './document';

/** `GET /api/openapi.json`, `GET /api/docs` and its scripts; mounted under `/api`. */
export function openApiRoutes() {
  const document = JSON.stringify(openApiDocument());
  let bundle: { bytes: Uint8Array<ArrayBuffer>; etag: string } | null = null;
  const js = { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache' };
  return new Hono()
    .get('/openapi.json', (c) =>
      c.body(document, 200, {
        'Content-Type': 'application/json; charset=utf-8',
        'Cache-Control': 'no-cache',
      }),
    )
    .get('/docs', (c) => c.html(DOCS_PAGE, 200, { 'Cache-Control': 'no-cache' }))
    .get('/docs/init.js', (c) => c.body(INIT_JS, 200, js))
    .get('/docs/scalar.js', compress(), (c) => {
      // Read on first use: a server nobody reads the docs of never loads 5 MB of script.
      bundle ??= load(SCALAR_BUNDLE);
      // Revalidated on each visit (an upgrade changes it), sent again only when it changed.
      // compress() weakens the tag it sends (W/"…"); a weak match is enough for a GET.
      if (c.req.header('if-none-match')?.replace(/^W\//, '') === bundle.etag)
        return c.body(null, 304);
      return c.body(bundle.bytes, 200, { ...js, ETag: bundle.etag });
    });
}

function load(path: string) {
  const bytes = new Uint8Array(readFileSync(path));
  return { bytes, etag: `"${createHash('sha256').update(bytes).digest('base64url')}"` };
}
