import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const GITHUB = { RETRAIN_DRIVER: 'github', GITHUB_REPOSITORY: 'acme/digits', GITHUB_TOKEN: 't' };

describe('loadConfig: the github driver’s variables', () => {
  it('has defaults for the API, branch, remote and pull interval', () => {
    expect(loadConfig(GITHUB).github).toEqual({
      apiUrl: 'https://api.github.com',
      repository: 'acme/digits',
      token: 't',
      branch: 'main',
      remote: 'origin',
      pullIntervalS: 600,
    });
  });

  it('parses them, accepting GitHub’s refs/heads/ form of the branch', () => {
    const c = loadConfig({
      ...GITHUB,
      GITHUB_API_URL: 'http://127.0.0.1:9999',
      GITHUB_REF: 'refs/heads/release/v2',
      GIT_REMOTE: 'upstream',
      PULL_INTERVAL_S: '0',
    });
    expect(c.github).toMatchObject({
      apiUrl: 'http://127.0.0.1:9999',
      branch: 'release/v2',
      remote: 'upstream',
      pullIntervalS: 0,
    });
  });

  it.each([
    [
      { RETRAIN_DRIVER: 'github', GITHUB_TOKEN: 't' },
      /^missing environment variable GITHUB_REPOSITORY: /,
    ],
    [
      { RETRAIN_DRIVER: 'github', GITHUB_REPOSITORY: 'a/b' },
      /^missing environment variable GITHUB_TOKEN: /,
    ],
    [{ ...GITHUB, GITHUB_TOKEN: '' }, /GITHUB_TOKEN/],
    [{ ...GITHUB, GITHUB_API_URL: 'not a url' }, /^bad environment variable GITHUB_API_URL/],
    [{ ...GITHUB, GITHUB_REF: 'main branch' }, /^bad environment variable GITHUB_REF/],
    [{ ...GITHUB, GIT_REMOTE: 'a b' }, /^bad environment variable GIT_REMOTE/],
    [{ ...GITHUB, PULL_INTERVAL_S: '-5' }, /^bad environment variable PULL_INTERVAL_S/],
  ])('stops with one line naming the variable: %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('needs no GitHub variables for the other drivers', () => {
    expect(loadConfig({ RETRAIN_DRIVER: 'local' }).github.repository).toBeNull();
  });
});
