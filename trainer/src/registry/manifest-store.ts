import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, manifestSchema, type Manifest } from 'sync-server/contract';
import { isErrno, replaceFileAtomic } from './durable-fs';

/** `models/manifest.json`, validated; null when no model was ever published. */
export async function readManifest(modelsDir: string): Promise<Manifest | null> {
  const path = join(modelsDir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return null;
    throw err;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not JSON`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path} breaks the contract at ${issue?.path.join('.')}: ${issue?.message}`);
  }
  return parsed.data;
}

/** Validates and atomically replaces the manifest (write temp, fsync, rename). */
export async function writeManifest(modelsDir: string, manifest: Manifest): Promise<void> {
  const valid = manifestSchema.parse(manifest);
  await replaceFileAtomic(join(modelsDir, MANIFEST_FILE), `${JSON.stringify(valid, null, 2)}\n`);
}
