import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deadReferences, deadReferencesIn } from '../../scripts/docs/references';
import { REPO } from '../../scripts/docs/sources';

const refs = (file: string, text: string) =>
  deadReferencesIn(REPO, join(REPO, file), text).map((d) => `${d.line}: ${d.reference}`);

describe('references', () => {
  it('every Markdown link, file named in a comment or doc, and document exists in the repo', () => {
    expect(deadReferences(REPO)).toEqual([]);
  });

  it('finds a dead relative link, but not a live one or a URL', () => {
    const md = '[a](web/README.md) [b](docs/gone.md#x)\n[c](https://example.com/x.md)\n';
    expect(refs('README.md', md)).toEqual(['1: docs/gone.md#x']);
  });

  it('finds missing files named in comments, resolved from the file, its workspace or the root', () => {
    const ts = [
      '// see sync-server/src/app.ts and src/config.ts and ./app.ts',
      '/* see HOWTO.md */',
      "const notAComment = 'sync-server/src/gone.ts';",
      '// and trainer/src/gone.ts, but sub_set_N/metadata.json is a pattern',
      '// and dist/gone.mjs is what a build writes, there or not',
    ].join('\n');
    expect(refs('sync-server/src/server.ts', ts)).toEqual([
      '4: trainer/src/gone.ts',
      '2: HOWTO.md',
    ]);
  });

  it('finds documents that only exist outside the repository', () => {
    const text = '# as DESIGN.md says\n# (STYLE rule 5), see the issue\n';
    expect(refs('.github/workflows/ci.yml', text)).toEqual([
      '1: DESIGN.md',
      '2: STYLE rule 5',
      '2: the issue',
    ]);
  });
});
