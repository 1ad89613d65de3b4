// A worker for the worker-thread tests: each request says how this worker should behave.
import { workerData } from 'node:worker_threads';
import { serve } from '../../src/worker-thread/serve';

export type FixtureRequest =
  | { do: 'echo'; value: number }
  | { do: 'throw'; message: string }
  | { do: 'exit'; code: number }
  | { do: 'crash'; message: string }
  | { do: 'hang' };

if ((workerData as { failAtStart?: string } | undefined)?.failAtStart) {
  throw new Error((workerData as { failAtStart: string }).failAtStart);
}

serve<FixtureRequest, number>((req) => {
  switch (req.do) {
    case 'echo':
      return req.value;
    case 'throw':
      throw new Error(req.message);
    case 'exit':
      return process.exit(req.code);
    case 'crash':
      // Thrown outside the handler, as a bug in a callback would be.
      setImmediate(() => {
        throw new Error(req.message);
      });
      return new Promise<number>(() => {});
    case 'hang':
      return new Promise<number>(() => {});
  }
});
