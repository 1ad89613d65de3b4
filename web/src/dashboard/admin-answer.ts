import { errorBodySchema } from 'sync-server/contract';

/** An admin route's answer, or why there is none, in words for the admin. */
export type AdminAnswer<T> = { ok: true; value: T } | { ok: false; message: string };

/** What `answer` needs of a contract schema (zod's `safeParse`). */
interface Schema<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

export const OUT_OF_REACH = 'The server is out of reach.';

/** Why the server refused, from its error body when it sent one the contract knows. */
export function refusal(res: Response, body: unknown): string {
  const parsed = errorBodySchema.safeParse(body);
  const reason = parsed.success ? parsed.data.error.message : res.statusText;
  return `Refused (HTTP ${res.status}): ${reason}`;
}

/** Runs an admin read and checks its body against `schema`, turning every failure into words. */
export async function answer<T>(
  request: () => Promise<Response>,
  schema: Schema<T>,
): Promise<AdminAnswer<T>> {
  let res: Response;
  try {
    res = await request();
  } catch {
    return { ok: false, message: OUT_OF_REACH };
  }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) return { ok: false, message: refusal(res, body) };
  const parsed = schema.safeParse(body);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, message: 'The server answer was not understood.' };
}
