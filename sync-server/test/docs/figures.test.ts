import { mkdtemp, open, readdir, readFile, rm } from 'node:fs/promises';
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

  it('shows a replay fed in rounds by the live model before the first and after the last', async () => {
    const one = sources.replay.find((run) => run.rounds.length === 1)!;
    const round = one.rounds[0]!;
    const rounds = [
      { ...round, outcome: 'published', mnistTest: { before: 0.9962, after: 0.9951 } },
      { ...round, outcome: 'rejected', mnistTest: { before: 0.9951, after: 0.9901 } },
    ];
    const run = { ...one, variant: '--per-round 50', rounds };
    const rendered = await renderReadme('trainer/LEARNING.md', { ...sources, replay: [run] });
    const row = rendered.split('\n').find((line) => line.startsWith('| `--per-round 50`'))!;
    expect(row).toMatch(/in 2 rounds, 1 published/);
    // The live model after the runs is the last published candidate, not the rejected one.
    expect(row).toContain('99.62 → 99.51 %');
    expect(row).not.toContain('99.01');
  });

  it('shows no total time for a replay in rounds when a round has no single time', async () => {
    const one = sources.replay.find((run) => run.rounds.length === 1)!;
    const round = { ...one.rounds[0]!, wallMs: 40_000 };
    const run = { ...one, variant: '--per-round 50', rounds: [round, { ...round, wallMs: null }] };
    const rendered = await renderReadme('trainer/LEARNING.md', { ...sources, replay: [run] });
    const row = rendered.split('\n').find((line) => line.startsWith('| `--per-round 50`'))!;
    expect(row.trimEnd()).toMatch(/\| +\|$/);
    const timed = await renderReadme('trainer/LEARNING.md', {
      ...sources,
      replay: [{ ...run, rounds: [round, round] }],
    });
    expect(timed).toMatch(/\| `--per-round 50`.*\| 80\.0 s +\|/);
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

  it('replaces the file whole: no partial file is left beside it', async () => {
    dir = await mkdtemp(join(tmpdir(), 'record-run-'));
    const file = join(dir, 'results.json');
    recordRun(file, { date: 'd1' });
    recordRun(file, { date: 'd2' });
    expect(await readdir(dir)).toEqual(['results.json']);
  });

  it('never rewrites the file in place: a reader that opened it before reads the old runs whole', async () => {
    dir = await mkdtemp(join(tmpdir(), 'record-run-'));
    const file = join(dir, 'results.json');
    recordRun(file, { date: 'd1' });
    const before = await open(file, 'r');
    try {
      recordRun(file, { date: 'd2' });
      // A write in place would truncate the file this handle reads; a rename leaves it whole.
      const seen = JSON.parse(await before.readFile('utf8')) as { runs: Array<{ date: string }> };
      expect(seen.runs.map((r) => r.date)).toEqual(['d1']);
    } finally {
      await before.close();
    }
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({
      runs: [{ date: 'd1' }, { date: 'd2' }],
    });
  });
});
