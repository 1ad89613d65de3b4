import { createHash } from 'node:crypto';
import { watch, type FSWatcher } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, type Manifest } from '../contract';
import type { Logger } from '../log';
import { isErrno, parseManifest } from '../registry';

/** The live manifest as served: parsed, the exact bytes, and their ETag. */
export interface LoadedManifest {
  manifest: Manifest;
  body: string;
  etag: string;
}

/** What one read of the file found: a new manifest, the same bytes, none, or a bad one. */
export type ManifestRead =
  | { outcome: 'loaded' | 'unchanged' | 'absent' }
  | { outcome: 'invalid'; reason: string };

export interface ManifestStoreOptions {
  modelsDir: string;
  log: Logger;
  /** Poll interval backing up fs.watch, which misses events on some file systems. */
  pollMs?: number;
  onChange?: (loaded: LoadedManifest) => void;
}

/**
 * Serves `models/manifest.json` and follows it: the trainer replaces it by rename, so the
 * folder is watched (a watch on the file would stay on the old inode) and polled as a
 * fallback. An invalid new file is logged and the last good one kept.
 */
export class ManifestStore {
  private loaded: LoadedManifest | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastStamp = '';
  private reloading: Promise<void> | null = null;
  private readonly readListeners = new Set<(read: ManifestRead) => void>();

  constructor(private readonly options: ManifestStoreOptions) {}

  get path(): string {
    return join(this.options.modelsDir, MANIFEST_FILE);
  }

  /** Loads the file once and starts following it. */
  async start(): Promise<void> {
    await this.reload();
    try {
      this.watcher = watch(this.options.modelsDir, (_event, name) => {
        if (name === MANIFEST_FILE) void this.reload();
      });
      this.watcher.on('error', () => this.watcher?.close());
    } catch {
      // No models folder yet: polling notices when it appears.
    }
    this.timer = setInterval(() => void this.poll(), this.options.pollMs ?? 1000);
    this.timer.unref();
  }

  current(): LoadedManifest | null {
    return this.loaded;
  }

  /** Reads the file again now (after a rollback, or from the watcher). */
  reload(): Promise<void> {
    // Reloads that overlap share one read; a change during it is seen by the next poll.
    this.reloading ??= this.read().finally(() => (this.reloading = null));
    return this.reloading;
  }

  /** Calls `listener` after every read of the file (watcher, poll or reload); returns its removal. */
  onRead(listener: (read: ManifestRead) => void): () => void {
    this.readListeners.add(listener);
    return () => this.readListeners.delete(listener);
  }

  close(): void {
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    const stamp = await stampOf(this.path);
    if (stamp !== this.lastStamp) await this.reload();
  }

  private async read(): Promise<void> {
    const read = await this.readOnce();
    for (const listener of this.readListeners) listener(read);
  }

  private async readOnce(): Promise<ManifestRead> {
    const stamp = await stampOf(this.path);
    let body: string;
    try {
      body = await readFile(this.path, 'utf8');
    } catch (err) {
      if (!isErrno(err, 'ENOENT')) this.options.log.warn('cannot read manifest', { err });
      this.lastStamp = stamp;
      return { outcome: 'absent' };
    }
    this.lastStamp = stamp;
    if (body === this.loaded?.body) return { outcome: 'unchanged' };
    const manifest = parseManifest(body);
    if (!manifest.ok) {
      // At start there is no last good one: say so, a client gets no model until a fix.
      const serving = this.loaded
        ? 'serving the last good one'
        : 'no model is served until a valid manifest.json appears';
      this.options.log.warn(`manifest.json invalid; ${serving}`, { reason: manifest.reason });
      return { outcome: 'invalid', reason: manifest.reason };
    }
    const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    this.loaded = { manifest: manifest.value, body, etag };
    this.options.log.info('manifest loaded', { current: manifest.value.current, etag });
    this.options.onChange?.(this.loaded);
    return { outcome: 'loaded' };
  }
}

// Identity of the file's current version: a rename changes the inode, a rewrite the mtime.
async function stampOf(path: string): Promise<string> {
  try {
    const s = await stat(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'absent';
  }
}
