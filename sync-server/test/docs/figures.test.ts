import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fillBlocks, READMES, renderReadme } from '../../scripts/docs/readmes';
import { KEEP_RUNS, recordRun } from '../../scripts/docs/results';
import { readSources, REPO } from '../../scripts/docs/sources';

describe('README figures', () => {
  const sources = readSources();

  it.each(READMES)('%s matches its results files (else run `npm run docs`)', async (file) => {
    const onDisk = readFileSync(join(REPO, file), 'utf8');
    expect(onDisk).toContain('<!-- figures:');
    expect(await renderReadme(file, sources)).toBe(onDisk);
  });

  it('changes when a results file changes', async () => {
    const web = sources.web.map((run) => ({ ...run, initialJsGzipKB: 4321.5 }));
    const rendered = await renderReadme('web/README.md', { ...sources, web });
    expect(rendered).toContain('4,321.5 KB gzip');
    expect(rendered).not.toBe(readFileSync(join(REPO, 'web/README.md'), 'utf8'));
  });

  it('refuses an unknown or unclosed block', () => {
    expect(() => fillBlocks('<!-- figures:nope -->\n<!-- /figures -->\n', sources)).toThrow(
      /unknown figures block "nope"/,
    );
    expect(() => fillBlocks('<!-- figures:summary -->\nno end\n', sources)).toThrow(
      /no <!-- \/figures -->/,
    );
  });
});

describe('recordRun', () => {
  let dir = '';
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it(`keeps the newest ${KEEP_RUNS} runs, or replaces the one a run is the same as`, async () => {
    dir = await mkdtemp(join(tmpdir(), 'record-run-'));
    const file = join(dir, 'results.json');
    const runs = async () =>
      (JSON.parse(await readFile(file, 'utf8')) as { runs: Array<{ date: string }> }).runs;
    for (const date of ['d1', 'd2', 'd3', 'd4']) recordRun(file, { date });
    expect((await runs()).map((r) => r.date)).toEqual(['d2', 'd3', 'd4']);
    recordRun(file, { date: 'd3' }, (earlier) => earlier.date === 'd3');
    expect((await runs()).map((r) => r.date)).toEqual(['d2', 'd4', 'd3']);
  });
});
