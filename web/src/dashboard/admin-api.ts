import { errorBodySchema } from 'sync-server/contract';

const TOKEN_KEY = 'digit-loop:admin-token';

/** The admin token lives for this tab only (sessionStorage), never in localStorage. */
export const adminToken = {
  get: (): string => sessionStorage.getItem(TOKEN_KEY) ?? '',
  set: (token: string): void =>
    token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY),
};

export type AdminResult = { ok: true; message: string } | { ok: false; message: string };

async function adminPost(path: string, token: string, body?: unknown): Promise<AdminResult> {
  let res: Response;
  try {
    res = await fetch(`/api/admin/${path}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    return { ok: false, message: 'The server is out of reach.' };
  }
  if (res.ok) return { ok: true, message: `Done (HTTP ${res.status}).` };
  const parsed = errorBodySchema.safeParse(await res.json().catch(() => null));
  const reason = parsed.success ? parsed.data.error.message : res.statusText;
  return { ok: false, message: `Refused (HTTP ${res.status}): ${reason}` };
}

/** `POST /api/admin/rollback`: makes `version` the live model. */
export function rollback(token: string, version: string): Promise<AdminResult> {
  return adminPost('rollback', token, { version });
}

/** `POST /api/admin/retrain`: asks the server's driver for a retrain now. */
export function retrainNow(token: string): Promise<AdminResult> {
  return adminPost('retrain', token);
}
