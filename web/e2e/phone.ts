import type { CDPSession, Page } from '@playwright/test';
import { closeProfile, launchProfile } from './helpers';
import { test as base } from './fixtures';

/** The phone the app issue was measured on: 390×844 CSS px, touch, mobile viewport. */
export const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };

/** The app's fixtures with the browser profile on a phone. */
export const test = base.extend({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's needs from it
  profile: async ({}, use) => {
    const context = await launchProfile(PHONE);
    try {
      await use(context);
    } finally {
      await closeProfile(context);
    }
  },
});

export { expect } from './fixtures';

type Path = [number, number][];

/** Strokes in pad fractions. */
export const SEVEN: Path[] = [
  [
    [0.25, 0.2],
    [0.75, 0.2],
    [0.45, 0.85],
  ],
];
export const DOT: Path[] = [[[0.5, 0.5]]];
/** Back and forth across the whole pad, rows closer than the pen is wide. */
export const SCRIBBLE: Path[] = [
  Array.from({ length: 15 }, (_, i): [number, number] => [i % 2 ? 0.92 : 0.08, 0.08 + i * 0.06]),
];

/**
 * Draws with a finger: real touch events through the DevTools protocol (Playwright's
 * touchscreen only taps), so the pad sees pointerType "touch" as on a phone. No scrolling: the
 * pad must already be on screen.
 */
export async function drawByTouch(page: Page, paths: Path[]): Promise<void> {
  const box = (await page.getByTestId('pad').boundingBox())!;
  const cdp: CDPSession = await page.context().newCDPSession(page);
  const at = ([x, y]: [number, number]) => ({
    x: box.x + box.width * x,
    y: box.y + box.height * y,
  });
  const touch = (
    type: 'touchStart' | 'touchMove' | 'touchEnd',
    points: { x: number; y: number }[],
  ) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: points });
  for (const path of paths) {
    await touch('touchStart', [at(path[0]!)]);
    for (let i = 1; i < path.length; i++) {
      const [a, b] = [path[i - 1]!, path[i]!];
      for (let s = 1; s <= 8; s++) {
        await touch('touchMove', [
          at([a[0] + ((b[0] - a[0]) * s) / 8, a[1] + ((b[1] - a[1]) * s) / 8]),
        ]);
      }
    }
    // The finger rests before lifting: a lift in full motion starts a fling, and Chromium
    // then swallows the next tap to stop it, as a real phone would.
    const last = at(path[path.length - 1]!);
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 40));
      await touch('touchMove', [last]);
    }
    await touch('touchEnd', []);
  }
  await cdp.detach();
}
