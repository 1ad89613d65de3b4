/** The workflow the github driver starts (`.github/workflows/retrain.yml`). */
export const WORKFLOW_FILE = 'retrain.yml';

const API_VERSION = '2022-11-28';
const REQUEST_TIMEOUT_MS = 15_000;

export interface DispatchOptions {
  /** e.g. `https://api.github.com` (no trailing slash needed). */
  apiUrl: string;
  /** `owner/name`. */
  repository: string;
  token: string;
  /** The branch the workflow runs on. */
  ref: string;
  reason: string;
  /** The sealed subsets, comma-separated (informational for the run). */
  subset: string;
}

/** A dispatch GitHub refused or that never got an answer. */
export class DispatchError extends Error {
  override name = 'DispatchError';
  constructor(
    message: string,
    /** Worth trying again later: network trouble, 5xx, 429, a rate limit. */
    readonly retryable: boolean,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

/**
 * Starts the retrain workflow: `POST /repos/{owner}/{repo}/actions/workflows/retrain.yml/dispatches`
 * (https://docs.github.com/en/rest/actions/workflows#create-a-workflow-dispatch-event).
 * Resolves on any 2xx (204 classically); throws a DispatchError saying whether to retry.
 */
export async function dispatchWorkflow(options: DispatchOptions): Promise<void> {
  const base = options.apiUrl.replace(/\/+$/, '');
  const url = `${base}/repos/${options.repository}/actions/workflows/${WORKFLOW_FILE}/dispatches`;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${options.token}`,
        Accept: 'application/vnd.github+json',
        'X-GitHub-Api-Version': API_VERSION,
        'Content-Type': 'application/json',
        'User-Agent': 'digit-sync-server',
      },
      body: JSON.stringify({
        ref: options.ref,
        inputs: { reason: options.reason, subset: options.subset },
      }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    const why = err instanceof Error ? (err.cause ?? err).toString() : String(err);
    throw new DispatchError(`workflow dispatch got no answer: ${why}`, true);
  }
  if (res.ok) {
    await res.body?.cancel();
    return;
  }
  const message = await githubMessage(res);
  throw new DispatchError(
    `workflow dispatch refused: HTTP ${res.status}${message ? ` ${message}` : ''}`,
    isRetryable(res),
    res.status,
  );
}

// 5xx and 429 pass; a 403 is retryable only when it is GitHub's rate limit, not a scope problem.
function isRetryable(res: Response): boolean {
  if (res.status >= 500 || res.status === 429) return true;
  return res.status === 403 && res.headers.get('x-ratelimit-remaining') === '0';
}

// GitHub answers errors with `{ "message": "...", "documentation_url": "..." }`.
async function githubMessage(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string') return `(${parsed.message})`;
  } catch {
    // Not JSON: fall through to the raw start of the body.
  }
  return text ? `(${text.slice(0, 200)})` : '';
}
