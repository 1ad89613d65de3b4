import { spawn } from 'node:child_process';

// A separate process that says `ready`, waits for a line on stdin, then tries the lock: it
// says `won` and holds the lock until a second line, or says `busy`.
export function contender(modelsDir: string) {
  const script = `
    import { withRetrainLock, LockBusyError } from ${JSON.stringify(new URL('../src/registry/lock.ts', import.meta.url).pathname)};
    const line = () => new Promise((r) => process.stdin.once('data', r));
    process.stdout.write('ready\\n');
    await line();
    try {
      await withRetrainLock(${JSON.stringify(modelsDir)}, async () => {
        process.stdout.write('won\\n');
        await line();
      });
    } catch (err) {
      process.stdout.write(err instanceof LockBusyError ? 'busy\\n' : String(err) + '\\n');
    }
    process.stdin.destroy();`;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script]);
  child.stdin.on('error', () => undefined); // a contender that died cannot take a line
  let out = '';
  let markReady!: () => void;
  let answer!: (outcome: string) => void;
  const ready = new Promise<void>((r) => (markReady = r));
  const outcome = new Promise<string>((r) => (answer = r));
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const lines = out.split('\n');
    if (lines.length > 1) markReady();
    if (lines.length > 2) answer(lines[1]!);
  });
  const closed = new Promise<void>((resolve) =>
    child.on('close', () => {
      markReady();
      answer(out.split('\n')[1] ?? `exited before answering: ${out}`);
      resolve();
    }),
  );
  return {
    ready,
    outcome,
    closed,
    go: () => child.stdin.write('go\n'),
    release: () => child.stdin.write('release\n'),
  };
}
