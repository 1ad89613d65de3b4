// The real training replica, except that it dies (process.exit(7)) on the first request of the
// type named by `?on=` in its URL: a dead replica must fail the run, not hang it. The real
// worker's listener runs first but answers on a later tick, so the exit always wins.
import { parentPort } from 'node:worker_threads';
import '../../src/train/worker';

const on = new URL(import.meta.url).searchParams.get('on') ?? 'step';
parentPort?.on('message', (msg: { type: string }) => {
  if (msg.type === on) process.exit(7);
});
