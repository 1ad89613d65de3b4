// `npm run docs`: rewrites the figures blocks of every README from the committed results files.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { READMES, renderReadme } from './readmes';
import { readSources, REPO } from './sources';

const sources = readSources();
for (const file of READMES) {
  const path = join(REPO, file);
  const next = await renderReadme(file, sources);
  if (next === readFileSync(path, 'utf8')) continue;
  writeFileSync(path, next);
  process.stdout.write(`updated ${file}\n`);
}
