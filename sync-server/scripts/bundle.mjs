// The server bundle `npm start` runs, rebuilt only when what it was built from has changed.
// Building showed in a CPU profile of a start with 100,000 answers stored (the server of
// `npm run bench -w sync-server -- startup`); hashing the inputs costs far less. The bundle's
// first line names every file esbuild read (its metafile) and a digest of their contents, of
// this file and of esbuild's version, so the check needs no second file that could disagree
// with the bundle: an edited, added (imported by an edited file) or deleted source, another
// esbuild, or a bundle from any other build fails it. The bundle is written beside and renamed
// into place, so servers starting at once never import a half-written file. Plain JavaScript:
// it must run before anything is built.
import { buildSync, version } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const STAMP = '// built from: ';
const SELF = fileURLToPath(import.meta.url);
const pkg = (file) => fileURLToPath(new URL(`../${file}`, import.meta.url));

/**
 * The server's bundle, `dist/server.mjs`, made current (`ensureBundle`); returns its URL to
 * import.
 * @returns {string}
 */
export function serverBundle() {
  const outfile = pkg('dist/server.mjs');
  ensureBundle({
    root: pkg(''),
    entry: pkg('src/main.ts'),
    outfile,
    also: [pkg('tsconfig.json'), pkg('../tsconfig.base.json')],
  });
  return pathToFileURL(outfile).href;
}

/**
 * Makes `outfile` the ESM bundle of `entry` (packages stay imports Node resolves as installed)
 * unless it already is one of the entry's current sources; returns 'built' or 'reused'.
 * `root` is the package folder (input paths and the bundle's `// src/…` comments are relative
 * to it); `also` names files that change the build without being inputs (tsconfig files).
 * @param {{ root: string, entry: string, outfile: string, also?: string[] }} paths absolute
 * @returns {'built' | 'reused'}
 */
export function ensureBundle({ root, entry, outfile, also = [] }) {
  const extra = also.map((file) => relative(root, file));
  if (isCurrent(outfile, root, extra)) return 'reused';
  const result = buildSync({
    entryPoints: [entry],
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    // No source map: it would cost more than the rest of the build. The bundle is not
    // minified, and each module's code follows a `// src/…` comment naming its file.
    write: false,
    metafile: true,
    outfile,
    logLevel: 'warning',
  });
  const inputs = [...Object.keys(result.metafile.inputs).sort(), ...extra];
  const code = result.outputFiles.find((f) => f.path === outfile)?.text;
  if (code === undefined) throw new Error(`esbuild wrote no ${outfile}`);
  const stamp = JSON.stringify({ inputs, digest: digest(root, inputs) });
  const partial = `${outfile}.${process.pid}.tmp`;
  mkdirSync(dirname(outfile), { recursive: true });
  writeFileSync(partial, `${STAMP}${stamp}\n${code}`);
  renameSync(partial, outfile);
  return 'built';
}

/**
 * Whether `outfile` exists and its stamp matches the current contents of its inputs, among
 * them the `extra` files asked for now.
 */
function isCurrent(outfile, root, extra) {
  let head;
  try {
    const text = readFileSync(outfile, 'utf8');
    head = text.slice(0, text.indexOf('\n'));
  } catch {
    return false;
  }
  if (!head.startsWith(STAMP)) return false;
  try {
    const { inputs, digest: built } = JSON.parse(head.slice(STAMP.length));
    return (
      Array.isArray(inputs) &&
      extra.every((file) => inputs.includes(file)) &&
      built === digest(root, inputs)
    );
  } catch {
    // A malformed stamp, or an input gone: build again.
    return false;
  }
}

/** SHA-256 over esbuild's version, this file and every input's path and content. */
function digest(root, inputs) {
  const hash = createHash('sha256').update(`esbuild ${version}\0`).update(readFileSync(SELF));
  for (const input of inputs) {
    hash.update(`\0${input}\0`).update(readFileSync(resolve(root, String(input))));
  }
  return hash.digest('hex');
}
