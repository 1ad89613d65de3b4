import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from './helpers/tiny-model';

const CLI = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
let root: { dir: string; cleanup: () => Promise<void> };
beforeAll(async () => (root = await tempDir('trainer-cli-')));
afterAll(() => root.cleanup());

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, INIT_CWD: root.dir },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('trainer CLI', () => {
  it('retrain without a live model: failed as the last stdout JSON line, exit 1', () => {
    const r = cli('retrain', '--data-dir', 'new_data', '--models-dir', 'models');
    expect(r.code).toBe(1);
    const last = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(last).toMatchObject({ outcome: 'failed' });
    expect(last.reason).toContain(join(root.dir, 'models'));
  }, 60_000);

  it('a bad flag value is one line naming the flag, exit 2', () => {
    const r = cli('retrain', '--epochs', 'many');
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/--epochs/);
  }, 60_000);

  it('--help lists every flag of the command from its schema, exit 0', () => {
    const r = cli('retrain', '--help');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const flags = r.stdout.match(/^ {2}--[\w-]+/gm)?.map((f) => f.trim());
    expect(flags).toEqual([
      '--data-dir',
      '--models-dir',
      '--report',
      '--epochs',
      '--lr',
      '--batch-size',
      '--feedback-share',
      '--max-repeat',
      '--batch-norm',
      '--l2sp',
      '--schedule',
      '--optimizer',
      '--augment',
      '--writer-digits',
      '--writer-replay',
      '--writer-warp',
      '--hand-warps',
      '--hands',
      '--fit-writers',
      '--writer-pool',
      '--writer-choice',
      '--writer-replay-by',
      '--blend',
      '--tune',
      '--replay',
      '--max-client-share',
      '--max-client-answers',
      '--dispute-confidence',
      '--recall-sample',
      '--max-new',
      '--holdout-sample',
      '--seed',
      '--max-mnist-drop',
      '--max-digit-drop',
      '--holdout-alpha',
      '--eval-workers',
      '--force',
      '--reeval-live',
      '--help',
    ]);
    expect(r.stdout).toMatch(/--lr <n> +.*\(default: 0\.0003\)/);
  }, 60_000);

  it('an unknown command names the valid ones', () => {
    const r = cli('frobnicate');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /unknown command frobnicate.*train-base\|retrain\|evaluate\|rollback\|list/,
    );
  }, 60_000);
});
