// `npm start -w sync-server`: bundles `src/main.ts` (our own modules; packages stay imports
// Node resolves as installed) into `dist/server.mjs` with esbuild, then runs it in this
// process. Under tsx each of our modules went through its loader hooks on every start; the
// bundle loads as one file (`npm run bench -w sync-server -- startup` times a start). Built
// on every start, so the bundle is never older than the sources; written beside and renamed
// into place, so servers starting at once never import a half-written file. Plain
// JavaScript: it must run before anything is built.
import { buildSync } from 'esbuild';
import { renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const bundle = new URL('../dist/server.mjs', import.meta.url);
const partial = `${fileURLToPath(bundle)}.${process.pid}.tmp`;
buildSync({
  entryPoints: [entry],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  // No source map: it would cost more than the rest of the build. The bundle is not
  // minified, and each module's code follows a `// src/…` comment naming its file.
  outfile: partial,
  logLevel: 'warning',
});
renameSync(partial, fileURLToPath(bundle));
await import(bundle.href);
