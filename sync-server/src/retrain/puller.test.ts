import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GIT_TEST_TIMEOUT_MS,
  git,
  gitRemoteFixture,
  type GitRemoteFixture,
} from '../../test/git-remote';
import { V1, V2, writeManifest } from '../../test/helpers';
import { silentLogger } from '../log';
import { Git } from './git';
import { Puller } from './puller';
import { pushSealedSubsets } from './subset-push';

let fx: GitRemoteFixture;
let ci: string;
let onUpdated: ReturnType<typeof vi.fn<() => void>>;
let puller: Puller;
/** A puller of the fixture's server checkout; intervalMs 0: it pulls only when asked. */
const makePuller = (intervalMs: number) =>
  new Puller({
    git: new Git({ cwd: fx.server, log: silentLogger }),
    log: silentLogger,
    remote: 'origin',
    branch: 'main',
    modelsDir: fx.models,
    modelsPath: 'models',
    dataPath: 'new_data',
    intervalMs,
    onUpdated,
  });
beforeEach(() => {
  fx = gitRemoteFixture();
  ci = fx.clone('ci');
  onUpdated = vi.fn<() => void>();
  puller = makePuller(0);
});
afterEach(() => fx.cleanup());

/** What the workflow does: publish V2 (pruning V1 if asked), commit models/, push. */
function ciPublishes(options: { prune?: boolean; alsoTouch?: Record<string, string> } = {}) {
  git(ci, 'pull', '--quiet', '--ff-only');
  writeManifest(join(ci, 'models'), options.prune ? [V2] : [V1, V2], V2);
  if (options.prune) rmSync(join(ci, 'models', V1), { recursive: true });
  for (const [path, body] of Object.entries(options.alsoTouch ?? {})) {
    mkdirSync(join(ci, path, '..'), { recursive: true });
    writeFileSync(join(ci, path), body);
    git(ci, 'add', '-f', path);
  }
  git(ci, 'add', '-A', 'models');
  git(ci, 'commit', '--quiet', '-m', `Publish model ${V2}`);
  git(ci, 'push', '--quiet', 'origin', 'main');
  return git(ci, 'rev-parse', 'HEAD');
}

const served = () => JSON.parse(readFileSync(join(fx.models, 'manifest.json'), 'utf8')).current;
const read = (path: string) => readFileSync(join(fx.server, path), 'utf8');

function localFeedback() {
  writeFileSync(join(fx.data, 'count.json'), '{"current_count": 1, "sub_set_count": 1}');
  mkdirSync(join(fx.data, 'sub_set_1'));
  writeFileSync(join(fx.data, 'sub_set_1/3_1_local.png'), 'local bytes');
}

describe('Puller', { timeout: GIT_TEST_TIMEOUT_MS }, () => {
  it('fast-forwards to the workflow’s commit and keeps local feedback as it is', async () => {
    localFeedback();
    const tip = ciPublishes({ prune: true });

    expect(await puller.pull()).toEqual({ outcome: 'fast-forward', commit: tip });

    expect(git(fx.server, 'rev-parse', 'HEAD')).toBe(tip);
    expect(served()).toBe(V2);
    expect(existsSync(join(fx.models, V1))).toBe(false);
    expect(read('new_data/count.json')).toBe('{"current_count": 1, "sub_set_count": 1}');
    expect(read('new_data/sub_set_1/3_1_local.png')).toBe('local bytes');
    expect(onUpdated).toHaveBeenCalledOnce();
  });

  it('does nothing while the remote’s models/ is unchanged, so a local rollback stays', async () => {
    expect(await puller.pull()).toEqual({ outcome: 'unchanged' });
    writeFileSync(join(fx.models, 'manifest.json'), '{"rolled": "back"}');
    git(ci, 'commit', '--quiet', '--allow-empty', '-m', 'unrelated');
    git(ci, 'push', '--quiet', 'origin', 'main');

    expect(await puller.pull()).toEqual({ outcome: 'unchanged' });
    expect(read('models/manifest.json')).toBe('{"rolled": "back"}');
    expect(onUpdated).not.toHaveBeenCalled();
  });

  it('fast-forwards over the server’s own pushed subsets (same bytes on disk)', async () => {
    mkdirSync(join(fx.data, 'sub_set_0'));
    writeFileSync(join(fx.data, 'sub_set_0/3_1_a.png'), 'sealed');
    await pushSealedSubsets({
      git: new Git({ cwd: fx.server, log: silentLogger }),
      log: silentLogger,
      remote: 'origin',
      branch: 'main',
      dataDir: fx.data,
      dataPath: 'new_data',
      modelsPath: 'models',
      indices: [0],
      identityArgs: ['-c', 'user.name=srv', '-c', 'user.email=srv@example.test'],
    });
    const tip = ciPublishes();

    expect(await puller.pull()).toMatchObject({ outcome: 'fast-forward', commit: tip });
    expect(git(fx.server, 'status', '--porcelain')).toBe('');
  });

  it('brings the answers the workflow held back, then fast-forwards over them', async () => {
    const first = `${JSON.stringify({ id: 'one' })}\n`;
    const tip = ciPublishes({ alsoTouch: { 'new_data/disputed.jsonl': first } });
    expect(await puller.pull()).toMatchObject({ outcome: 'fast-forward', commit: tip });
    expect(read('new_data/disputed.jsonl')).toBe(first);
    // The next run appended (and published nothing new): the local copy, a prefix, grows.
    const both = `${first}${JSON.stringify({ id: 'two' })}\n`;
    ciPublishes({ alsoTouch: { 'new_data/disputed.jsonl': both } });
    expect(await puller.pull()).toEqual({ outcome: 'unchanged' });
    expect(read('new_data/disputed.jsonl')).toBe(both);
  });

  it('leaves a local disputed.jsonl that diverged from the remote’s', async () => {
    writeFileSync(join(fx.data, 'disputed.jsonl'), 'local\n');
    const tip = ciPublishes({ alsoTouch: { 'new_data/disputed.jsonl': 'remote\n' } });
    expect(await puller.pull()).toEqual({ outcome: 'models-only', commit: tip });
    expect(read('new_data/disputed.jsonl')).toBe('local\n');
  });

  it.each([
    [
      'someone else’s bytes for a local feedback file',
      { 'new_data/sub_set_1/3_1_local.png': 'remote' },
    ],
    ['a feedback file the server does not have', { 'new_data/sub_set_7/1_1_x.png': 'remote' }],
    ['a code change', { 'README.md': 'changed upstream\n' }],
  ])('copies models/ only when the remote brings %s', async (_what, touch) => {
    localFeedback();
    const head = git(fx.server, 'rev-parse', 'HEAD');
    const tip = ciPublishes({ prune: true, alsoTouch: touch });

    expect(await puller.pull()).toEqual({ outcome: 'models-only', commit: tip });

    expect(git(fx.server, 'rev-parse', 'HEAD')).toBe(head);
    expect(served()).toBe(V2);
    expect(existsSync(join(fx.models, V1))).toBe(false);
    expect(read('new_data/sub_set_1/3_1_local.png')).toBe('local bytes');
    expect(existsSync(join(fx.data, 'sub_set_7'))).toBe(false);
    expect(read('README.md')).toBe('seed\n');
    expect(git(fx.server, 'status', '--porcelain', '--', 'new_data', 'README.md')).toBe(
      'M new_data/count.json',
    );
  });

  it('lets a newer remote model replace a local rollback', async () => {
    writeFileSync(join(fx.models, 'manifest.json'), '{"rolled": "back"}');
    ciPublishes();
    expect(await puller.pull()).toMatchObject({ outcome: 'models-only' });
    expect(served()).toBe(V2);
  });

  it('pulls at start and then on its interval until stopped', async () => {
    const timed = makePuller(50);
    ciPublishes();
    timed.start();
    try {
      await expect.poll(() => onUpdated.mock.calls.length, { timeout: 30_000 }).toBe(1);
    } finally {
      await timed.stop();
    }
    expect(served()).toBe(V2);
  });

  it('shares one pull between overlapping calls', async () => {
    ciPublishes();
    const [a, b] = await Promise.all([puller.pull(), puller.pull()]);
    expect(a).toMatchObject({ outcome: 'fast-forward' });
    expect(b).toBe(a);
    expect(onUpdated).toHaveBeenCalledOnce();
  });

  it('reports an unreachable remote without throwing, and succeeds once it is back', async () => {
    const url = git(fx.server, 'remote', 'get-url', 'origin');
    git(fx.server, 'remote', 'set-url', 'origin', join(fx.root, 'gone.git'));
    const failed = await puller.pull();
    expect(failed).toMatchObject({ outcome: 'failed' });
    expect(failed.outcome === 'failed' && failed.reason).toMatch(/^git fetch failed: fatal:/);
    git(fx.server, 'remote', 'set-url', 'origin', url);
    ciPublishes();
    expect(await puller.pull()).toMatchObject({ outcome: 'fast-forward' });
  });
});
