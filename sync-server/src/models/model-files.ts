import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { Readable } from 'node:stream';
import { versionSchema } from '../contract';

// A model folder holds model.json and weight shards; nothing with a slash, dot-dot, or
// anything outside this alphabet is ever a model file.
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*$/;

const TYPES: Record<string, string> = {
  json: 'application/json',
  bin: 'application/octet-stream',
};

/** An opened model file ready to stream. */
export interface ModelFile {
  stream: ReadableStream<Uint8Array>;
  size: number;
  type: string;
}

/**
 * Opens `models/<version>/<file>`, or null. Both parts must match the strict version and file
 * patterns (so no traversal, encoded or not, can even be expressed), and the resolved path
 * must still lie inside `modelsDir` after symlinks.
 */
export async function openModelFile(
  modelsDir: string,
  version: string,
  file: string,
): Promise<ModelFile | null> {
  if (!versionSchema.safeParse(version).success || !FILE_NAME.test(file)) return null;
  try {
    const root = await realpath(modelsDir);
    const path = await realpath(join(root, version, file));
    if (!path.startsWith(root + sep)) return null;
    const info = await stat(path);
    if (!info.isFile()) return null;
    const ext = file.slice(file.lastIndexOf('.') + 1);
    const stream = Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>;
    return { stream, size: info.size, type: TYPES[ext] ?? 'application/octet-stream' };
  } catch {
    return null;
  }
}
