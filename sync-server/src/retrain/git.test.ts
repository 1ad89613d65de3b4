import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../log';
import { Git, GitError } from './git';

const dir = mkdtempSync(join(tmpdir(), 'git-runner-'));
const git = new Git({ cwd: dir, log: silentLogger });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Git', () => {
  it('runs git without a shell and returns its output', async () => {
    await git.run(['init', '--quiet', '--initial-branch=main']);
    // A path with spaces and a quote is passed through untouched (execFile, no shell).
    expect(await git.run(['rev-parse', '--git-path', "a b'c"])).toBe(".git/a b'c");
  });

  it('rejects with a GitError naming the command and git’s verdict', async () => {
    const err = await git.run(['rev-parse', '--verify', 'no-such-ref']).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GitError);
    expect((err as GitError).message).toMatch(
      /^git rev-parse failed: fatal: Needed a single revision/,
    );
    expect((err as GitError).code).toBe(128);
  });

  it('test() maps exit 0/1 to true/false and still throws on other failures', async () => {
    expect(await git.test(['config', '--get', 'core.bare'])).toBe(true);
    expect(await git.test(['config', '--get', 'no.such-key'])).toBe(false);
    await expect(git.test(['rev-parse', '--verify', 'nope'])).rejects.toBeInstanceOf(GitError);
  });

  it('serial() runs one sequence at a time, in call order, even after a failure', async () => {
    const events: string[] = [];
    const seq = (name: string, fail = false) =>
      git.serial(async () => {
        events.push(`${name} start`);
        await git.run(['status', '--porcelain']);
        await new Promise((r) => setTimeout(r, 5));
        events.push(`${name} end`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      });
    const results = await Promise.allSettled([seq('a', true), seq('b'), seq('c')]);
    expect(events).toEqual(['a start', 'a end', 'b start', 'b end', 'c start', 'c end']);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
  });
});
