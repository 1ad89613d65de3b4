// The real score worker, except that it dies (process.exit(7)) on its first chunk. The real
// listener runs first but answers on a later tick, so the exit always wins.
import { parentPort } from 'node:worker_threads';
import '../../src/evaluate/score-worker';

parentPort?.on('message', () => process.exit(7));
