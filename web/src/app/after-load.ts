// The model (tfjs, about 1 MB of JavaScript, a wasm compile and a warm-up) is the heaviest work
// the page does. Fetched and run during the first render it delays the first paint and blocks
// the main thread while the page appears; started once the page has loaded and the browser is
// idle, the shell paints first. Someone who touches the page sooner starts it at once.

/** What counts as someone starting to use the page. */
const USE_EVENTS = ['pointerdown', 'keydown', 'dragenter'] as const;
/** An idle moment is waited for at most this long after the load event. */
const IDLE_TIMEOUT_MS = 1000;

/** The parts of `window` used here (tests pass a fake). */
export interface PageTarget extends Pick<EventTarget, 'addEventListener' | 'removeEventListener'> {
  document: { readyState: DocumentReadyState };
  requestAnimationFrame: (run: () => void) => unknown;
  requestIdleCallback?: (run: () => void, options: { timeout: number }) => unknown;
  setTimeout: (run: () => void, ms: number) => unknown;
}

/** Calls `run` once: after the load event and a paint, when idle; or on the first use, if sooner. */
export function runAfterLoad(run: () => void, target: PageTarget = window): void {
  let done = false;
  const once = () => {
    if (done) return;
    done = true;
    for (const type of USE_EVENTS) target.removeEventListener(type, once, true);
    run();
  };
  for (const type of USE_EVENTS)
    target.addEventListener(type, once, { capture: true, passive: true });
  const idle = () =>
    target.requestIdleCallback
      ? target.requestIdleCallback(once, { timeout: IDLE_TIMEOUT_MS })
      : target.setTimeout(once, 0);
  // A frame first, so the idle moment comes after a paint, not before the first one.
  const whenIdle = () => target.requestAnimationFrame(idle);
  if (target.document.readyState === 'complete') whenIdle();
  else target.addEventListener('load', whenIdle, { once: true });
}
