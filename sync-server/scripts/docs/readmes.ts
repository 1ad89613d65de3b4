// Fills every README's `<!-- figures:ID -->` … `<!-- /figures -->` block from the results files
// and formats the result with the repo's prettier config, so `npm run docs` and `npm run lint`
// agree byte for byte.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { format, resolveConfig } from 'prettier';
import { BLOCKS } from './blocks';
import { REPO, type Sources } from './sources';

/** The Markdown files that carry generated figures. */
export const READMES = [
  'README.md',
  'sync-server/README.md',
  'trainer/README.md',
  'trainer/LEARNING.md',
  'web/README.md',
];

// Markers are whole lines, so prose can name them in backticks.
const BLOCK = /^(<!-- figures:([\w-]+) -->\n)([\s\S]*?)^(<!-- \/figures -->)$/gm;

/** `markdown` with every figures block re-rendered; throws on an unknown or unclosed block. */
export function fillBlocks(markdown: string, sources: Sources, file = 'README'): string {
  const opened = markdown.match(/^<!-- figures:[\w-]+ -->$/gm)?.length ?? 0;
  const filled = markdown.replace(BLOCK, (_, open: string, id: string, _old, close: string) => {
    const render = BLOCKS[id];
    if (!render) throw new Error(`${file}: unknown figures block "${id}"`);
    return `${open}\n${render(sources)}\n\n${close}`;
  });
  const closed = markdown.match(BLOCK)?.length ?? 0;
  if (closed !== opened) throw new Error(`${file}: a figures block has no <!-- /figures -->`);
  return filled;
}

/** What `file` (relative to the repo root) should contain. */
export async function renderReadme(file: string, sources: Sources): Promise<string> {
  const path = join(REPO, file);
  const filled = fillBlocks(readFileSync(path, 'utf8'), sources, file);
  const options = (await resolveConfig(path)) ?? {};
  return format(filled, { ...options, filepath: path });
}
