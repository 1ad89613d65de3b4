import { recentAnswersSchema, type RecentAnswers } from 'sync-server/contract';
import { apiClient } from '../api/api-client';
import { answer, OUT_OF_REACH, refusal, type AdminAnswer } from './admin-answer';

const TOKEN_KEY = 'digit-loop:admin-token';

/** The admin token lives for this tab only (sessionStorage), never in localStorage. */
export const adminToken = {
  get: (): string => sessionStorage.getItem(TOKEN_KEY) ?? '',
  set: (token: string): void =>
    token ? sessionStorage.setItem(TOKEN_KEY, token) : sessionStorage.removeItem(TOKEN_KEY),
};

export type AdminResult = { ok: true; message: string } | { ok: false; message: string };

/** Turns an admin route's answer (or a network failure) into words for the user. */
async function outcome(request: () => Promise<Response>): Promise<AdminResult> {
  let res: Response;
  try {
    res = await request();
  } catch {
    return { ok: false, message: OUT_OF_REACH };
  }
  if (res.ok) return { ok: true, message: `Done (HTTP ${res.status}).` };
  return { ok: false, message: refusal(res, await res.json().catch(() => null)) };
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

/** `POST /api/admin/rollback`: makes `version` the live model. */
export function rollback(token: string, version: string): Promise<AdminResult> {
  return outcome(() => apiClient().api.admin.rollback.$post({ json: { version } }, bearer(token)));
}

/** `POST /api/admin/retrain`: asks the server's driver for a retrain now. */
export function retrainNow(token: string): Promise<AdminResult> {
  return outcome(() => apiClient().api.admin.retrain.$post(undefined, bearer(token)));
}

/** `GET /api/admin/recent`: the newest answers per digit, with their drawings. */
export function fetchRecent(token: string, perDigit = 8): Promise<AdminAnswer<RecentAnswers>> {
  return answer(
    () =>
      apiClient().api.admin.recent.$get(
        { query: { perDigit: String(perDigit) } },
        { ...bearer(token), init: { cache: 'no-store' } },
      ),
    recentAnswersSchema,
  );
}
