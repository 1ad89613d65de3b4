import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePixels } from '../src/contract';
import { silentLogger } from '../src/log';
import type { RetrainDriver } from '../src/retrain/driver';
import {
  createGithubDriver,
  type GithubDriver,
  type RetryOptions,
} from '../src/retrain/github-driver';
import { GIT_TEST_TIMEOUT_MS, git, gitRemoteFixture, type GitRemoteFixture } from './git-remote';
import { startGithubStandIn, type GithubStandIn } from './github-stand-in';
import { jsonOf, makeApp, makeItem, postFeedback, V1, type TestApp } from './helpers';
import { REPO_ROOT, simulateRetrainWorkflow } from './workflow-sim';

const ADMIN = 'admin-token-for-tests';
const TOKEN = 'ghp_standin';
const FAKE_TRAINER = [
  join(REPO_ROOT, 'node_modules/.bin/tsx'),
  join(REPO_ROOT, 'sync-server/test/fixtures/fake-trainer.ts'),
];

let fx: GitRemoteFixture;
let api: GithubStandIn;
let t: TestApp;
let driver: GithubDriver;

/** The real app (threshold 2) on the server clone, its github driver aimed at the stand-ins. */
async function setup(
  retry: Partial<RetryOptions> = { attempts: 3, baseMs: 5, maxMs: 10 },
  options: { threshold?: number; modelsFrom?: string } = {},
) {
  fx = gitRemoteFixture([V1], options);
  api = await startGithubStandIn();
  // The store calls the driver, the driver reads the store: bind late, as server.ts does.
  const forward: RetrainDriver = {
    name: 'github',
    onSealed: (i) => driver.onSealed(i),
    requestRun: (r) => driver.requestRun(r),
    status: () => driver.status(),
    close: async () => driver?.close(),
  };
  t = await makeApp(fx, { threshold: options.threshold ?? 2, driver: forward, adminToken: ADMIN });
  driver = await createGithubDriver({
    dataDir: fx.data,
    modelsDir: fx.models,
    remote: 'origin',
    branch: 'main',
    api: { url: api.url, repository: 'acme/digits', token: TOKEN },
    pullIntervalMs: 0,
    sealedIndices: () => Array.from({ length: t.store.totals().sealedSubsets }, (_, i) => i),
    manifest: () => t.manifests.current()?.manifest ?? null,
    onModelsUpdated: () => t.manifests.reload(),
    registry: t.metrics.registry,
    log: silentLogger,
    retry,
  });
}

afterEach(async () => {
  await driver?.close();
  await t?.close();
  await api?.close();
  fx?.cleanup();
});

async function seal(n = 2) {
  const res = await postFeedback(t.app, { items: Array.from({ length: n }, () => makeItem()) });
  expect(res.status).toBe(200);
  await driver.idle();
}

const status = async () => (await jsonOf(t.app.request('/api/status'))).retrain;
const metrics = async () => (await t.app.request('/metrics')).text();
const remoteLog = () => git(fx.bare, 'log', '--format=%s', 'main').split('\n');
const dispatches = () => api.requests.map((r) => JSON.parse(r.body));

describe('github driver: the whole cycle', { timeout: GIT_TEST_TIMEOUT_MS }, () => {
  it('seal → commit+push → dispatch → workflow trains and pushes models/ → pull → served', async () => {
    await setup();
    await seal(2);

    // 1-2. The sealed subset, and only it, reached the remote in one commit.
    expect(remoteLog()[0]).toBe('new_data: add sealed subset sub_set_0 (2 samples)');
    const files = git(
      fx.bare,
      'diff-tree',
      '--no-commit-id',
      '--name-only',
      '-r',
      'main~1',
      'main',
    );
    expect(files.split('\n')).toHaveLength(3);
    expect(files).toMatch(/^(new_data\/sub_set_0\/(\d_\d+_\w+\.png|metadata\.json)\n?){3}$/);

    // 3. The dispatch, as GitHub's API wants it.
    expect(api.requests).toHaveLength(1);
    const [req] = api.requests;
    expect(req!.method).toBe('POST');
    expect(req!.url).toBe('/repos/acme/digits/actions/workflows/retrain.yml/dispatches');
    expect(req!.headers).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    });
    expect(dispatches()).toEqual([
      { ref: 'main', inputs: { reason: 'sealed subset 0', subset: '0' } },
    ]);
    expect(await status()).toEqual({ state: 'running', lastRun: null });

    // Local feedback keeps arriving while the workflow runs: the open subset never leaves.
    await postFeedback(t.app, { items: [makeItem()] });

    // 4. The workflow's own steps, in a fresh checkout, with the trainer's CLI.
    const ci = fx.clone('ci');
    const run = simulateRetrainWorkflow({
      workspace: ci,
      inputs: dispatches()[0].inputs,
      trainer: FAKE_TRAINER,
    });
    expect(run.outputs.check).toEqual({ new: 'true' });
    expect(run.ran).toEqual([
      'Anything new since the last retrain?',
      'Retrain and gate',
      'Commit models/',
      'Push, rebasing on newer commits',
    ]);
    const published = JSON.parse(git(fx.bare, 'show', 'main:models/manifest.json')).current;
    expect(published).not.toBe(V1);
    expect(remoteLog()[0]).toBe(`Publish model ${published}: MNIST test 99.10%, holdout 90.00%`);

    // 5. The puller brings it; 6. the server serves it.
    expect(await driver.pullNow()).toMatchObject({ outcome: 'fast-forward' });
    const manifest = await jsonOf(t.app.request('/api/model/manifest'));
    expect(manifest.current).toBe(published);
    expect((await t.app.request(`/models/${published}/model.json`)).status).toBe(200);
    expect(await status()).toMatchObject({
      state: 'idle',
      lastRun: { outcome: 'published', version: published },
    });
    expect(await metrics()).toContain(`model_live_info{version="${published}"} 1`);
    expect(await metrics()).toContain('retrain_github_pulls_total{result="updated"} 1');

    // The answer the workflow's trainer held back came with the models: it waits for review.
    const review = await jsonOf(
      t.app.request('/api/admin/review?state=pending', {
        headers: { authorization: `Bearer ${ADMIN}` },
      }),
    );
    expect(review.items.map((i: { flags: string[] }) => i.flags)).toContainEqual([
      'not_digit_like',
      'disputed',
    ]);

    // Local data untouched: the open subset and count.json are as the store left them.
    expect(JSON.parse(readFileSync(join(fx.data, 'count.json'), 'utf8'))).toEqual({
      current_count: 1,
      sub_set_count: 1,
    });
    expect(existsSync(join(fx.data, 'sub_set_1', 'metadata.json'))).toBe(true);
    expect(git(fx.server, 'status', '--porcelain')).toBe('M new_data/count.json');

    // The push-triggered duplicate run finds nothing new and stops before installing anything.
    const again = simulateRetrainWorkflow({
      workspace: fx.clone('ci2'),
      inputs: { reason: 'push', subset: '' },
      trainer: FAKE_TRAINER,
    });
    expect(again.ran).toEqual(['Anything new since the last retrain?']);
    expect(again.outputs.check).toEqual({ new: 'false' });

    // An admin retrain with nothing new still dispatches, but does not claim a run is going.
    await t.app.request('/api/admin/retrain', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    await driver.idle();
    expect(dispatches()).toHaveLength(2);
    expect((await status()).state).toBe('idle');
  });
});

// Opt-in, since a real retrain evaluates on all of MNIST test: set it to a models/ folder
// holding a trained base model, e.g. GITHUB_CYCLE_REAL_TRAINER=$PWD/models.
const REAL_MODELS = process.env.GITHUB_CYCLE_REAL_TRAINER;

describe.skipIf(!REAL_MODELS)('github driver: the cycle with the real trainer CLI', () => {
  it('the workflow’s retrain step runs `npm run retrain -w trainer` and the server serves its result', async () => {
    await setup(undefined, { threshold: 10, modelsFrom: REAL_MODELS });
    const ones = Array.from({ length: 10 }, (_, i) => makeItem({ label: 1, pixels: stroke(i) }));
    expect((await postFeedback(t.app, { items: ones })).status).toBe(200);
    await driver.idle();
    expect(dispatches()).toHaveLength(1);

    const ci = fx.clone('ci');
    const npm = execFileSync('bash', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
    const trainer = [
      'bash',
      '-c',
      `cd "$0" && exec "${npm}" run --silent retrain -w trainer -- "$@"`,
      REPO_ROOT,
    ];
    const run = simulateRetrainWorkflow({ workspace: ci, inputs: dispatches()[0].inputs, trainer });
    expect(run.ran).toContain('Push, rebasing on newer commits');
    const report = JSON.parse(readFileSync(join(ci, 'retrain-report.json'), 'utf8'));
    expect(['published', 'rejected']).toContain(report.outcome);
    expect(report.subsets).toEqual([0]);

    expect(await driver.pullNow()).toMatchObject({ outcome: 'fast-forward' });
    const manifest = await jsonOf(t.app.request('/api/model/manifest'));
    expect(manifest.history.at(-1)).toMatchObject({ outcome: report.outcome });
    if (report.outcome === 'published') expect(manifest.current).toBe(report.version);
  }, 600_000);
});

/** A vertical stroke (a "1"), shifted a little per sample; MNIST polarity, ink = 255. */
function stroke(shift: number): string {
  const px = new Uint8Array(784);
  for (let y = 5; y < 23; y++)
    for (let x = 12; x < 15; x++) px[y * 28 + x + (shift % 3) - 1 + Math.floor(y / 9)] = 255;
  return encodePixels(px);
}

describe('github driver: failures', { timeout: GIT_TEST_TIMEOUT_MS }, () => {
  it('retries a failing dispatch with backoff, pushing the subset only once', async () => {
    await setup();
    api.failNext(2, 502, 'Server Error');
    await seal(2);

    expect(dispatches()).toHaveLength(3);
    expect(new Set(api.requests.map((r) => r.body)).size).toBe(1);
    expect(remoteLog()).toEqual(['new_data: add sealed subset sub_set_0 (2 samples)', 'seed']);
    expect((await status()).lastRun).toBeNull();
    const text = await metrics();
    expect(text).toContain('retrain_github_deliveries_total{result="retry"} 2');
    expect(text).toContain('retrain_github_deliveries_total{result="ok"} 1');
    expect(text).toContain('retrain_github_delivery_failing 0');
  });

  it('shows a delivery that kept failing in /api/status and /metrics; an admin retrain delivers it', async () => {
    await setup();
    api.failNext(3, 500, 'Server Error');
    await seal(2);

    expect(dispatches()).toHaveLength(3);
    expect(await status()).toMatchObject({
      state: 'idle',
      lastRun: {
        outcome: 'failed',
        reason:
          'not delivered to GitHub after 3 tries: workflow dispatch refused: HTTP 500 (Server Error)',
      },
    });
    expect(await metrics()).toContain('retrain_github_delivery_failing 1');

    const res = await t.app.request('/api/admin/retrain', {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    expect(res.status).toBe(202);
    await driver.idle();

    expect(dispatches().at(-1)).toEqual({
      ref: 'main',
      inputs: { reason: 'admin request', subset: '' },
    });
    expect(await status()).toEqual({ state: 'running', lastRun: null });
    expect(await metrics()).toContain('retrain_github_delivery_failing 0');
    expect(remoteLog()).toHaveLength(2);
  });

  it('does not retry a refused token; the next seal tries again', async () => {
    await setup();
    api.failNext(1, 401, 'Bad credentials');
    await seal(2);

    expect(dispatches()).toHaveLength(1);
    expect((await status()).lastRun.reason).toBe(
      'not delivered to GitHub after 1 try: workflow dispatch refused: HTTP 401 (Bad credentials)',
    );

    await seal(2);
    expect(dispatches().at(-1)).toEqual({
      ref: 'main',
      inputs: { reason: 'sealed subset 1', subset: '1' },
    });
    expect((await status()).lastRun).toBeNull();
  });

  it('dispatches nothing while the push fails; the next seal pushes every missing subset', async () => {
    await setup();
    const url = git(fx.server, 'remote', 'get-url', 'origin');
    git(fx.server, 'remote', 'set-url', 'origin', join(fx.root, 'unreachable.git'));
    await seal(2);

    expect(api.requests).toHaveLength(0);
    expect((await status()).lastRun.reason).toMatch(
      /^not delivered to GitHub after 3 tries: git fetch failed: fatal: /,
    );
    expect(remoteLog()).toEqual(['seed']);

    git(fx.server, 'remote', 'set-url', 'origin', url);
    await seal(2);
    expect(remoteLog()[0]).toBe('new_data: add sealed subsets sub_set_0, sub_set_1 (4 samples)');
    expect(dispatches()).toEqual([
      { ref: 'main', inputs: { reason: 'sealed subset 1', subset: '1' } },
    ]);
  });
});
