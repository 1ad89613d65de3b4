import { Hono } from 'hono';
import { ApiError } from '../middleware/errors';
import type { ManifestStore } from '../models/manifest-store';
import { openModelFile } from '../models/model-files';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** `GET /api/model/manifest`: revalidated on every load (`no-cache` + ETag, 304). */
export function manifestRoute(manifests: ManifestStore) {
  return new Hono().get('/manifest', (c) => {
    const loaded = manifests.current();
    if (!loaded) throw new ApiError(404, 'no_model', 'no model has been published yet');
    c.header('ETag', loaded.etag);
    c.header('Cache-Control', 'no-cache');
    if (etagMatches(c.req.header('if-none-match'), loaded.etag)) return c.body(null, 304);
    // The ETag hashes the file; the parsed manifest is a pure function of it.
    return c.json(loaded.manifest, 200);
  });
}

/** `GET /models/<version>/<file>`: versions never change once published, so immutable. */
export function modelFilesRoute(modelsDir: string) {
  return new Hono().get('/:version/:file', async (c) => {
    const file = await openModelFile(modelsDir, c.req.param('version'), c.req.param('file'));
    if (!file) throw new ApiError(404, 'not_found', 'no such model file');
    return c.body(file.stream, 200, {
      'Content-Type': file.type,
      'Content-Length': String(file.size),
      'Cache-Control': IMMUTABLE,
    });
  });
}

// If-None-Match may list several tags and weak forms (RFC 9110 §13.1.2: weak comparison).
function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}
