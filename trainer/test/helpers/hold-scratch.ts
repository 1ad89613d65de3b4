// For scratch-dir.test.ts: a scratch folder of many files, its path printed, then an idle wait
// for the test's signals.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from '../../scripts/scratch-dir';

const scratch = await scratchDir('scratch-test-');
for (let i = 0; i < 5000; i++) writeFileSync(join(scratch.path, String(i)), 'x');
process.stdout.write(`${scratch.path}\n`);
setInterval(() => {}, 60_000);
