// Browsers run new wasm and JavaScript through baseline compilers first and optimize the hot
// code only after it has run for a while: in Chromium the first few dozen back-to-back
// predictions run measurably slower than the ones after. One warm-up run makes the first
// prediction possible; these runs, in idle moments after that, make the user's digits run
// optimized code. The app starts them at the user's first input, while the first stroke is
// drawn: during page load they were main-thread work that only delayed the page being usable.

export interface BackgroundWarmUp {
  /** One prediction on a sample input. */
  run: () => Promise<void>;
  /** False once the model was replaced or disposed: the warm-up stops. */
  current: () => boolean;
  /** At most this many runs. */
  runs: number;
  /** Stops once the runs themselves took this long, so a slow backend warms less. */
  budgetMs: number;
  /** Waited for before each run; by default a macrotask, so input and painting go first. */
  pause?: () => Promise<void>;
  /** Waited for once before the first run (the app: the user's first input); none: at once. */
  start?: Promise<void>;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Runs `run` until `runs`, `budgetMs` or `current()` says stop; resolves with the runs done. */
export async function warmInBackground(options: BackgroundWarmUp): Promise<number> {
  const { run, current, runs, budgetMs, pause = nextTask } = options;
  await options.start;
  let spent = 0;
  let done = 0;
  while (done < runs && spent < budgetMs) {
    await pause();
    if (!current()) break;
    const t0 = performance.now();
    await run();
    spent += performance.now() - t0;
    done++;
  }
  return done;
}
