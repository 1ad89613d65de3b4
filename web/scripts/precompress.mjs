// `npm run build -w web`, after vite: writes `<file>.br` and `<file>.gz` beside every text file
// of dist (and the wasm binaries), so the server sends them compressed at no cost per request
// (serveStatic's `precompressed`). Brotli at its best level: this runs once per build.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const COMPRESSIBLE = /\.(html|js|mjs|css|json|webmanifest|svg|txt|wasm)$/;
// Below this, the headers cost more than the compression saves.
const MIN_BYTES = 1024;

function* files(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (COMPRESSIBLE.test(entry.name)) yield full;
  }
}

let count = 0;
let before = 0;
let after = 0;
for (const file of files(DIST)) {
  const data = fs.readFileSync(file);
  if (data.length < MIN_BYTES) continue;
  const br = zlib.brotliCompressSync(data, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
  const gz = zlib.gzipSync(data, { level: 9 });
  fs.writeFileSync(`${file}.br`, br);
  fs.writeFileSync(`${file}.gz`, gz);
  count++;
  before += data.length;
  after += br.length;
}
process.stderr.write(
  `web: precompressed ${count} files, ${Math.round(before / 1024)} KB → ${Math.round(after / 1024)} KB (brotli)\n`,
);
