import { afterEach, describe, expect, it } from 'vitest';
import {
  GIT_TEST_TIMEOUT_MS,
  gitRemoteFixture,
  type GitRemoteFixture,
} from '../../test/git-remote';
import { startGithubStandIn, type GithubStandIn } from '../../test/github-stand-in';
import { makeItem, tempDirs } from '../../test/helpers';
import { loadConfig } from '../config';
import { silentLogger } from '../log';
import { startServer } from '../server';

let fx: GitRemoteFixture | undefined;
let api: GithubStandIn | undefined;
afterEach(async () => {
  await api?.close();
  fx?.cleanup();
});

const env = (over: Record<string, string>) => ({
  RETRAIN_DRIVER: 'github',
  GITHUB_REPOSITORY: 'acme/digits',
  GITHUB_TOKEN: 'tok',
  PORT: '0',
  RETRAIN_THRESHOLD: '2',
  PULL_INTERVAL_S: '0',
  LOG_LEVEL: 'silent',
  ...over,
});

describe('startServer with RETRAIN_DRIVER=github', { timeout: GIT_TEST_TIMEOUT_MS }, () => {
  it('wires the driver from the environment: a seal over HTTP reaches the API stand-in', async () => {
    fx = gitRemoteFixture();
    api = await startGithubStandIn();
    const config = loadConfig(
      env({ GITHUB_API_URL: api.url, DATA_DIR: fx.data, MODELS_DIR: fx.models }),
    );
    const server = await startServer(config, silentLogger);
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const res = await fetch(`${base}/api/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ items: [makeItem(), makeItem()] }),
      });
      expect(res.status).toBe(200);
      await expect.poll(() => api!.requests.length, { timeout: 10_000 }).toBe(1);
      expect(JSON.parse(api.requests[0]!.body).inputs).toEqual({
        reason: 'sealed subset 0',
        subset: '0',
      });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toContain('retrain_github_deliveries_total{result="ok"} 1');
    } finally {
      await server.close();
    }
  });

  it('refuses to start when DATA_DIR is not in a git work tree, saying so in one line', async () => {
    const dirs = tempDirs();
    try {
      const config = loadConfig(env({ DATA_DIR: dirs.data, MODELS_DIR: dirs.models }));
      await expect(startServer(config, silentLogger)).rejects.toThrow(
        /^RETRAIN_DRIVER=github needs DATA_DIR inside a git work tree \(git rev-parse failed: fatal: not a git repository/,
      );
    } finally {
      dirs.cleanup();
    }
  });

  it('refuses to start when GIT_REMOTE is not a remote of the work tree', async () => {
    fx = gitRemoteFixture();
    const config = loadConfig(
      env({ DATA_DIR: fx.data, MODELS_DIR: fx.models, GIT_REMOTE: 'upstream' }),
    );
    await expect(startServer(config, silentLogger)).rejects.toThrow(
      `GIT_REMOTE upstream is not a remote of ${fx.server}`,
    );
  });
});
