// `npm run build:if-needed -w web`: builds web/dist only when it is missing or older than any
// input of the build, so `npm start` is quick after the first run and never serves a stale app.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const WEB = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST_OUTPUTS = ['dist/index.html', 'dist/sw.js', 'dist/manifest.webmanifest'];
// Everything the bundle is made from, including the contract code it imports.
const INPUTS = [
  'src',
  'service-worker',
  'public',
  'index.html',
  'vite.config.ts',
  'package.json',
  'tsconfig.json',
  '../sync-server/src/contract',
];

/** Newest modification time under `p` (a file or a folder), 0 when it does not exist. */
function newest(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let max = stat.mtimeMs;
  for (const name of fs.readdirSync(p)) max = Math.max(max, newest(path.join(p, name)));
  return max;
}

/** Oldest output time, 0 when any output is missing (then a build is needed). */
function builtAt() {
  const times = DIST_OUTPUTS.map((f) => newest(path.join(WEB, f)));
  return times.includes(0) ? 0 : Math.min(...times);
}

const built = builtAt();
const changed = Math.max(...INPUTS.map((p) => newest(path.join(WEB, p))));
if (built > 0 && built >= changed) {
  process.stderr.write('web: dist is up to date, not rebuilding\n');
  process.exit(0);
}
process.stderr.write(
  built ? 'web: sources changed, rebuilding dist\n' : 'web: no dist yet, building\n',
);
const result = spawnSync('npm', ['run', 'build'], { cwd: WEB, stdio: 'inherit' });
process.exit(result.status ?? 1);
