import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubStandIn, type GithubStandIn } from '../../test/github-stand-in';
import { DispatchError, dispatchWorkflow, type DispatchOptions } from './github-api';

let api: GithubStandIn;
beforeAll(async () => (api = await startGithubStandIn()));
afterAll(() => api.close());

const options = (): DispatchOptions => ({
  apiUrl: `${api.url}/`,
  repository: 'acme/digits',
  token: 'ghp_secret',
  ref: 'main',
  reason: 'sealed subset 4',
  subset: '4',
});

describe('dispatchWorkflow', () => {
  it('POSTs the dispatch for retrain.yml with the token, API version and inputs', async () => {
    await dispatchWorkflow(options());
    const req = api.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/repos/acme/digits/actions/workflows/retrain.yml/dispatches');
    expect(req.headers.authorization).toBe('Bearer ghp_secret');
    expect(req.headers.accept).toBe('application/vnd.github+json');
    expect(req.headers['x-github-api-version']).toBe('2022-11-28');
    expect(JSON.parse(req.body)).toEqual({
      ref: 'main',
      inputs: { reason: 'sealed subset 4', subset: '4' },
    });
  });

  it.each([
    [500, true],
    [502, true],
    [429, true],
    [401, false],
    [404, false],
    [422, false],
  ])(
    'HTTP %i is a DispatchError, retryable: %s, carrying GitHub’s message',
    async (status, retry) => {
      api.failNext(1, status, 'Bad credentials');
      const err = await dispatchWorkflow(options()).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DispatchError);
      expect(err).toMatchObject({ status, retryable: retry });
      expect((err as Error).message).toBe(
        `workflow dispatch refused: HTTP ${status} (Bad credentials)`,
      );
    },
  );

  it('a closed port is a retryable DispatchError', async () => {
    const gone = await startGithubStandIn();
    await gone.close();
    const err = await dispatchWorkflow({ ...options(), apiUrl: gone.url }).catch((e: unknown) => e);
    expect(err).toMatchObject({ retryable: true, status: null });
    expect((err as Error).message).toMatch(/no answer: .*ECONNREFUSED/);
  });
});
