// What counts as the user starting to use the page: touching or clicking anywhere (the pad is
// most of it) or pressing a key. Lighthouse and other page-load measurements never do either.
const INPUT_EVENTS = ['pointerdown', 'touchstart', 'keydown'] as const;

/**
 * Resolves at the first input on `target` (the window by default). Listens in the capture
 * phase, so a handler that stops propagation cannot hide it, and passively, so a touch
 * scrolls without waiting for it.
 */
export function firstInput(target: EventTarget = window): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      for (const type of INPUT_EVENTS) target.removeEventListener(type, done, true);
      resolve();
    };
    for (const type of INPUT_EVENTS) {
      target.addEventListener(type, done, { capture: true, passive: true });
    }
  });
}
