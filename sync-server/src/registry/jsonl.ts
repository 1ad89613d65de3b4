import type { z } from 'zod';
import { readTextIfExists } from './durable-fs';

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
