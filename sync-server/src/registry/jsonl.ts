import { open, readFile, stat } from 'node:fs/promises';
import type { z } from 'zod';
import { isErrno, readTextIfExists } from './durable-fs';

/**
 * Reads a JSON-lines log written by `appendLineSynced`, each line validated by `schema`; []
 * when the file does not exist. Only the last line can be torn (a crash mid-append): when it
 * has no newline and does not parse it is ignored. Any other bad line throws, naming it.
 */
export async function readJsonLines<T>(path: string, schema: z.ZodType<T>): Promise<T[]> {
  const text = await readTextIfExists(path);
  if (text === null) return [];
  const lines = text.split('\n');
  const torn = lines.pop() ?? '';
  const values: T[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const parsed = parseLine(line, schema);
    if (!parsed.ok) throw new Error(`${path}:${i + 1}: ${parsed.reason}`);
    values.push(parsed.value);
  });
  if (torn.trim() !== '') {
    const parsed = parseLine(torn, schema);
    if (parsed.ok) values.push(parsed.value);
  }
  return values;
}

function parseLine<T>(
  line: string,
  schema: z.ZodType<T>,
): { ok: true; value: T } | { ok: false; reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const r = schema.safeParse(json);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0];
  return { ok: false, reason: `${issue?.path.join('.')}: ${issue?.message}` };
}

/**
 * Cuts a torn last line (no newline: a crash mid-append, never acknowledged) off a JSON-lines
 * log before appending to it, since the next append would glue a good line onto it and make
 * a middle line unreadable. Returns the bytes cut (0 when the file is whole or missing).
 */
export async function cutTornLastLine(path: string): Promise<number> {
  let text: Buffer;
  try {
    text = await readFile(path);
  } catch (err) {
    if (isErrno(err, 'ENOENT')) return 0;
    throw err;
  }
  if (text.length === 0 || text[text.length - 1] === 0x0a) return 0;
  const keep = text.lastIndexOf(0x0a) + 1;
  const handle = await open(path, 'r+');
  try {
    await handle.truncate(keep);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return text.length - keep;
}

/** What `readJsonLinesFrom` read: valid values, where to go on from, and bad lines skipped. */
export interface JsonLinesTail<T> {
  values: T[];
  /** Byte offset after the last complete line read: the next call's `offset`. */
  offset: number;
  /** Complete lines that were no valid value, with why (the caller logs them). */
  bad: string[];
}

/**
 * Reads the complete lines appended to a JSON-lines log since byte `offset`, for a reader
 * that follows a log another process appends to: a last line without its newline may still
 * be being written, so it is left for the next call. Costs one `stat` when nothing was added.
 */
export async function readJsonLinesFrom<T>(
  path: string,
  schema: z.ZodType<T>,
  offset: number,
): Promise<JsonLinesTail<T>> {
  const size = await stat(path).then(
    (s) => s.size,
    (err: unknown) => {
      if (isErrno(err, 'ENOENT')) return 0;
      throw err;
    },
  );
  if (size <= offset) return { values: [], offset, bad: [] };
  const handle = await open(path, 'r');
  let chunk: Buffer;
  try {
    chunk = Buffer.alloc(size - offset);
    await handle.read(chunk, 0, chunk.length, offset);
  } finally {
    await handle.close();
  }
  const end = chunk.lastIndexOf(0x0a) + 1;
  const values: T[] = [];
  const bad: string[] = [];
  for (const line of chunk.subarray(0, end).toString('utf8').split('\n')) {
    if (line.trim() === '') continue;
    const parsed = parseLine(line, schema);
    if (parsed.ok) values.push(parsed.value);
    else bad.push(parsed.reason);
  }
  return { values, offset: offset + end, bad };
}
