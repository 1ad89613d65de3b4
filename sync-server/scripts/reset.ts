// `npm run reset [-- --yes]`: puts new_data/ and models/ back to what git has committed, undoing
// what trying the app wrote there (answers, retrained models, the moved manifest pointer). It
// lists what it would remove or restore first, and changes nothing without `--yes`.
import { spawnSync } from 'node:child_process';

const FOLDERS = ['new_data', 'models'];

function git(args: string[]): string {
  const r = spawnSync('git', args, { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`reset: git ${args.join(' ')} failed: ${r.stderr.trim()}\n`);
    process.exit(1);
  }
  return r.stdout;
}

const root = git(['rev-parse', '--show-toplevel']).trim();
process.chdir(root);
// -x: collected answers are git-ignored (new_data/.gitignore), and they are what goes.
const removed = git(['clean', '-n', '-d', '-x', '--', ...FOLDERS])
  .split('\n')
  .filter(Boolean)
  .map((line) => line.replace(/^Would remove /, ''));
const restored = git(['diff', '--name-only', 'HEAD', '--', ...FOLDERS])
  .split('\n')
  .filter(Boolean);

if (removed.length === 0 && restored.length === 0) {
  process.stdout.write('new_data/ and models/ are as committed; nothing to do.\n');
  process.exit(0);
}
for (const path of removed) process.stdout.write(`remove   ${path}\n`);
for (const path of restored) process.stdout.write(`restore  ${path}\n`);

if (!process.argv.includes('--yes')) {
  process.stdout.write(
    `\n${removed.length} to remove, ${restored.length} to restore. Stop the server first, then run: npm run reset -- --yes\n`,
  );
  process.exit(0);
}
git(['checkout', 'HEAD', '--', ...FOLDERS]);
git(['clean', '-f', '-d', '-x', '--', ...FOLDERS]);
process.stdout.write('new_data/ and models/ are back to the committed state.\n');
