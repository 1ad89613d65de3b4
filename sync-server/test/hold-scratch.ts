// For scratch.test.ts: a scratch folder of many files and three cleanups on a stop, one of them
// taken back; prints the folder's path, then waits for the test's signals.
import { writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { onStop, scratchDir } from '../scripts/scratch';

onStop(() => writeSync(1, 'cleanup 1\n'));
const scratch = await scratchDir('scratch-test-');
for (let i = 0; i < 5000; i++) writeFileSync(join(scratch.path, String(i)), 'x');
onStop(() => writeSync(1, 'cleanup 2\n'));
onStop(() => writeSync(1, 'taken back\n'))();
process.stdout.write(`${scratch.path}\n`);
setInterval(() => {}, 60_000);
