import { spawn } from 'node:child_process';
import { existsSync, watch } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { onStop, scratchDir } from '../scripts/scratch';

const HELPER = fileURLToPath(new URL('./hold-scratch.ts', import.meta.url));

describe('scratchDir', () => {
  it('removes its folder when the run ends', async () => {
    const scratch = await scratchDir('scratch-test-');
    expect(existsSync(scratch.path)).toBe(true);
    await scratch.remove();
    expect(existsSync(scratch.path)).toBe(false);
  });

  it('removes the whole folder on SIGTERM, even when a second one arrives mid-removal', async () => {
    // The child fills a scratch folder, prints its path and waits. A terminal's Ctrl-C signals
    // npm, tsx and the script alike, so the script can be signalled again while it removes.
    const child = spawn(process.execPath, ['--import', 'tsx', HELPER], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    const path = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`helper exited early (${code})`)));
    });
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    // The second signal goes once the first removal is under way: the first entry gone.
    const watcher = watch(path, () => {
      watcher.close();
      child.kill('SIGTERM');
    });
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
    watcher.close();
    expect(existsSync(path)).toBe(false);
    // Newest first (the folder's removal came between), once, and not the one taken back.
    expect(out.split('\n').slice(1)).toEqual(['cleanup 2', 'cleanup 1', '']);
  });

  it('takes its signal handlers back with the last cleanup', async () => {
    const before = process.listenerCount('SIGTERM');
    const scratch = await scratchDir('scratch-test-');
    const forget = onStop(() => {});
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    forget();
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    await scratch.remove();
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
