import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export const REPO_ROOT = resolve(fileURLToPath(import.meta.url), '../../..');
const WORKFLOW = join(REPO_ROOT, '.github/workflows/retrain.yml');

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
}

export interface SimulatedRun {
  /** Steps that ran, by name or first line of their script. */
  ran: string[];
  outputs: Record<string, Record<string, string>>;
  log: string;
}

export interface SimulateOptions {
  /** A clone of the remote: the runner's checkout (GITHUB_WORKSPACE). */
  workspace: string;
  inputs: { reason: string; subset: string };
  /** What `npm run --silent retrain -w trainer -- <args>` runs instead, args appended. */
  trainer: string[];
  branch?: string;
}

/**
 * Runs the `retrain` job of `.github/workflows/retrain.yml` as a runner would, minus the
 * `uses:` steps (the workspace is already a checkout, node is already here) and `npm ci`:
 * each `run:` script goes through `bash -eo pipefail` with GITHUB_OUTPUT, step outputs and
 * `if:` conditions honoured. `npm` is shimmed so the retrain step's own command line reaches
 * `trainer`. Unknown expressions throw, so the simulation never silently diverges.
 */
export function simulateRetrainWorkflow(options: SimulateOptions): SimulatedRun {
  const wf = parse(readFileSync(WORKFLOW, 'utf8')) as {
    jobs: { retrain: { env?: Record<string, string>; steps: Step[] } };
  };
  const job = wf.jobs.retrain;
  const tmp = mkdtempSync(join(tmpdir(), 'workflow-sim-'));
  const shim = join(tmp, 'npm');
  const trainer = options.trainer.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  // `npm run --silent retrain -w trainer -- ARGS` → trainer ARGS; anything else is refused.
  writeFileSync(
    shim,
    `#!/bin/bash\nset -e\n[ "$1 $2 $3 $4 $5 $6" = "run --silent retrain -w trainer --" ] || { echo "shim: unexpected npm $*" >&2; exit 97; }\nshift 6\nexec ${trainer} "$@"\n`,
  );
  chmodSync(shim, 0o755);
  const ctx = {
    inputs: options.inputs,
    github: { event_name: 'workflow_dispatch', ref_name: options.branch ?? 'main', event: {} },
    vars: {},
  };
  const outputs: Record<string, Record<string, string>> = {};
  const ran: string[] = [];
  let log = '';
  try {
    for (const step of job.steps) {
      if (step.uses || step.run?.startsWith('npm ci')) continue;
      if (step.if && !condition(step.if, outputs)) continue;
      const out = join(tmp, 'output');
      writeFileSync(out, '');
      const env: Record<string, string> = {
        ...(process.env as Record<string, string>),
        PATH: `${tmp}:${process.env.PATH}`,
        GITHUB_OUTPUT: out,
        GITHUB_WORKSPACE: options.workspace,
      };
      for (const [k, v] of Object.entries({ ...job.env, ...step.env })) env[k] = expand(v, ctx);
      ran.push(step.name ?? step.run!.split('\n')[0]!);
      log += execFileSync(
        'bash',
        ['--noprofile', '--norc', '-eo', 'pipefail', '-c', expand(step.run!, ctx)],
        {
          cwd: options.workspace,
          env,
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      if (step.id) outputs[step.id] = parseOutputs(readFileSync(out, 'utf8'));
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return { ran, outputs, log };
}

// `${{ a || b || 'lit' }}` over plain context paths: the only expression shapes the job uses.
function expand(text: string, ctx: object): string {
  return String(text).replace(/\$\{\{\s*(.+?)\s*\}\}/g, (_all, expr: string) => {
    for (const operand of expr.split('||').map((s) => s.trim())) {
      const value = /^'(.*)'$/.exec(operand)?.[1] ?? lookup(ctx, operand);
      if (value) return value;
    }
    return '';
  });
}

function lookup(ctx: object, path: string): string | undefined {
  if (!/^[\w.]+$/.test(path)) throw new Error(`workflow-sim: unsupported expression ${path}`);
  let v: unknown = ctx;
  for (const key of path.split('.')) {
    if (typeof v !== 'object' || v === null) return undefined;
    if (v === ctx && !(key in v)) throw new Error(`workflow-sim: unknown context ${key}`);
    v = (v as Record<string, unknown>)[key];
  }
  return v === undefined ? undefined : String(v);
}

function condition(expr: string, outputs: Record<string, Record<string, string>>): boolean {
  const m = /^steps\.([\w-]+)\.outputs\.(\w+) == '([^']*)'$/.exec(expr.trim());
  if (!m) throw new Error(`workflow-sim: unsupported if: ${expr}`);
  return outputs[m[1]!]?.[m[2]!] === m[3];
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf('=');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1);
  }
  return out;
}
