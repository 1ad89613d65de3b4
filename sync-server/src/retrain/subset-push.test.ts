import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GIT_TEST_TIMEOUT_MS,
  git,
  gitRemoteFixture,
  type GitRemoteFixture,
} from '../../test/git-remote';
import { silentLogger } from '../log';
import { Git, type ExecOptions } from './git';
import { pushSealedSubsets } from './subset-push';

let fx: GitRemoteFixture;
beforeEach(() => (fx = gitRemoteFixture()));
afterEach(() => fx.cleanup());

function writeSubset(index: number, samples: number, extra: string[] = []): void {
  const dir = join(fx.data, `sub_set_${index}`);
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < samples; i++)
    writeFileSync(join(dir, `3_${1000 + i}_abcd${i}.png`), `png ${i}`);
  writeFileSync(join(dir, 'metadata.json'), '[]');
  for (const name of extra) writeFileSync(join(dir, name), 'temp');
}

const push = (indices: number[]) =>
  pushSealedSubsets({
    git: new Git({ cwd: fx.server, log: silentLogger }),
    log: silentLogger,
    remote: 'origin',
    branch: 'main',
    dataDir: fx.data,
    dataPath: 'new_data',
    modelsPath: 'models',
    indices,
    identityArgs: ['-c', 'user.name=srv', '-c', 'user.email=srv@example.test'],
  });

/** What the workflow does after training: commit models/ in its own clone and push it. */
function workflowPublishes(manifest: string): void {
  const ci = fx.clone('ci');
  writeFileSync(join(ci, 'models/manifest.json'), manifest);
  git(ci, 'commit', '--quiet', '-am', 'Publish model');
  git(ci, 'push', '--quiet', 'origin', 'main');
}

const remoteFiles = (rev = 'main') =>
  git(fx.bare, 'diff-tree', '--no-commit-id', '--name-only', '-r', `${rev}~1`, rev).split('\n');

describe('pushSealedSubsets', { timeout: GIT_TEST_TIMEOUT_MS }, () => {
  it('pushes one commit with only the sealed subsets’ finished files; HEAD and index stay put', async () => {
    writeSubset(0, 2, ['.metadata.json.1a2b.tmp', 'x.png.tmp']);
    writeSubset(1, 1); // the open subset
    writeFileSync(join(fx.data, 'count.json'), '{"current_count": 1, "sub_set_count": 1}');
    const head = git(fx.server, 'rev-parse', 'HEAD');

    const result = await push([0]);

    expect(result.subsets).toEqual([0]);
    expect(git(fx.bare, 'rev-parse', 'main')).toBe(result.commit);
    expect(remoteFiles()).toEqual([
      'new_data/sub_set_0/3_1000_abcd0.png',
      'new_data/sub_set_0/3_1001_abcd1.png',
      'new_data/sub_set_0/metadata.json',
    ]);
    expect(git(fx.bare, 'log', '-1', '--format=%s|%an', 'main')).toBe(
      'new_data: add sealed subset sub_set_0 (2 samples)|srv',
    );
    expect(git(fx.bare, 'rev-parse', 'main~1')).toBe(head);
    expect(git(fx.server, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(fx.server, 'diff', '--cached', '--name-only')).toBe('');
    expect(git(fx.server, 'status', '--porcelain')).toBe('M new_data/count.json');
  });

  it('carries review.jsonl with every delivery, alone when only decisions changed', async () => {
    writeSubset(0, 1);
    writeFileSync(join(fx.data, 'review.jsonl'), '{"decision": 1}\n');
    await push([0]);
    expect(remoteFiles()).toContain('new_data/review.jsonl');
    expect(git(fx.bare, 'log', '-1', '--format=%s', 'main')).toBe(
      'new_data: add sealed subset sub_set_0 (1 sample) and review decisions',
    );
    writeFileSync(join(fx.data, 'review.jsonl'), '{"decision": 1}\n{"decision": 2}\n');
    const result = await push([0]);
    expect(result.subsets).toEqual([]);
    expect(remoteFiles()).toEqual(['new_data/review.jsonl']);
    expect(git(fx.bare, 'log', '-1', '--format=%s', 'main')).toBe(
      'new_data: update review decisions',
    );
  });

  it('is idempotent: a second call finds the remote complete and pushes nothing', async () => {
    writeSubset(0, 2);
    const first = await push([0]);
    expect(first.untrained).toBe(true);
    // Still untrained: a retry after a failed dispatch must still expect the workflow to train.
    expect(await push([0])).toEqual({ commit: null, subsets: [], untrained: true });
    expect(git(fx.bare, 'rev-parse', 'main')).toBe(first.commit);
  });

  it('says whether the remote has feedback newer than its last models/ commit', async () => {
    expect((await push([])).untrained).toBe(false); // one seed commit holds both folders
    writeSubset(0, 2);
    await push([0]);
    workflowPublishes('{"trained": true}\n');
    expect(await push([0])).toEqual({ commit: null, subsets: [], untrained: false });
  });

  it('builds on the remote’s newest commit, so history stays linear after the workflow pushed', async () => {
    writeSubset(0, 2);
    await push([0]);
    workflowPublishes('{"changed": true}\n');
    writeSubset(1, 3);

    const result = await push([0, 1]);

    expect(result.subsets).toEqual([1]);
    expect(git(fx.bare, 'log', '--format=%s', 'main')).toBe(
      [
        'new_data: add sealed subset sub_set_1 (3 samples)',
        'Publish model',
        'new_data: add sealed subset sub_set_0 (2 samples)',
        'seed',
      ].join('\n'),
    );
    expect(git(fx.bare, 'show', 'main:models/manifest.json')).toBe('{"changed": true}');
  });

  it('rebuilds on the new tip when another push lands between its fetch and its push', async () => {
    const ci = fx.clone('ci');
    // The workflow pushes models/ at the worst moment: right before the server's push.
    class RacedGit extends Git {
      raced = false;
      override run(args: string[], options?: ExecOptions): Promise<string> {
        if (args[0] === 'push' && !this.raced) {
          this.raced = true;
          writeFileSync(join(ci, 'models/manifest.json'), '{"raced": true}\n');
          git(ci, 'commit', '--quiet', '-am', 'Publish model (raced)');
          git(ci, 'push', '--quiet', 'origin', 'main');
        }
        return super.run(args, options);
      }
    }
    const racing = new RacedGit({ cwd: fx.server, log: silentLogger });
    writeSubset(0, 2);

    const result = await pushSealedSubsets({
      git: racing,
      log: silentLogger,
      remote: 'origin',
      branch: 'main',
      dataDir: fx.data,
      dataPath: 'new_data',
      modelsPath: 'models',
      indices: [0],
      identityArgs: ['-c', 'user.name=srv', '-c', 'user.email=srv@example.test'],
    });

    expect(racing.raced).toBe(true);
    expect(git(fx.bare, 'rev-parse', 'main')).toBe(result.commit);
    expect(git(fx.bare, 'log', '--format=%s', 'main')).toBe(
      ['new_data: add sealed subset sub_set_0 (2 samples)', 'Publish model (raced)', 'seed'].join(
        '\n',
      ),
    );
  });

  it('fails with git’s reason when the remote is unreachable', async () => {
    writeSubset(0, 1);
    git(fx.server, 'remote', 'set-url', 'origin', join(fx.root, 'missing.git'));
    await expect(push([0])).rejects.toThrow(/git fetch failed: fatal: .*missing\.git/);
  });
});
