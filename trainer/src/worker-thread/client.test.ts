import { afterEach, describe, expect, it } from 'vitest';
import type { FixtureRequest } from '../../test/helpers/fixture-worker';
import { WorkerThread } from './client';

const ENTRY = new URL('../../test/helpers/fixture-worker.ts', import.meta.url);
const started: WorkerThread<FixtureRequest, number>[] = [];

function start(workerData?: unknown): WorkerThread<FixtureRequest, number> {
  const thread = WorkerThread.start<FixtureRequest, number>(ENTRY, { name: 'fixture', workerData });
  started.push(thread);
  return thread;
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.terminate()));
});

describe('WorkerThread', () => {
  it('answers requests in order', async () => {
    const thread = start();
    const replies = [1, 2, 3].map((value) => thread.request({ do: 'echo', value }));
    expect(await Promise.all(replies)).toEqual([1, 2, 3]);
  });

  it('rejects with the message a handler throws, and stays up', async () => {
    const thread = start();
    await expect(thread.request({ do: 'throw', message: 'bad shard' })).rejects.toThrow(
      'fixture worker: bad shard',
    );
    expect(await thread.request({ do: 'echo', value: 7 })).toBe(7);
  });

  it('rejects every waiting request when the worker exits, and later ones at once', async () => {
    const thread = start();
    const exit = thread.request({ do: 'exit', code: 3 });
    const queued = thread.request({ do: 'echo', value: 1 });
    await expect(exit).rejects.toThrow('fixture worker exited (code 3)');
    await expect(queued).rejects.toThrow('fixture worker exited (code 3)');
    await expect(thread.request({ do: 'echo', value: 1 })).rejects.toThrow(/exited \(code 3\)/);
  });

  it('rejects when the worker throws outside the handler', async () => {
    const thread = start();
    await expect(thread.request({ do: 'crash', message: 'boom' })).rejects.toThrow(
      'fixture worker failed: boom',
    );
  });

  it('rejects when the worker fails to start', async () => {
    const thread = start({ failAtStart: 'no model' });
    await expect(thread.request({ do: 'echo', value: 1 })).rejects.toThrow(
      'fixture worker failed: no model',
    );
  });

  it('rejects a request in flight when the worker is terminated', async () => {
    const thread = start();
    expect(await thread.request({ do: 'echo', value: 1 })).toBe(1);
    const waiting = expect(thread.request({ do: 'hang' })).rejects.toThrow(
      'fixture worker was terminated',
    );
    await thread.terminate();
    await waiting;
  });
});
