import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { committed, modelReady, pending, predictedDigit, stored } from './helpers';
import { DOT, drawByTouch, expect, SCRIBBLE, SEVEN, test } from './phone';

// At 390×844 with touch, as the app issue measured; each test has its own server and profile.

const ANSWERS = ['confirm', ...Array.from({ length: 10 }, (_, d) => `label-${d}`)];

async function labelsOnDisk(dataDir: string, count: number): Promise<number[]> {
  return (await committed(dataDir, count)).map((e) => e.true_label);
}

async function noSideScroll(page: Page): Promise<void> {
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);
  expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
}

test('phone: draw and answer without scrolling', async ({ server, page }) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  await drawByTouch(page, SEVEN);
  expect(await predictedDigit(page)).toBe('7');
  for (const id of ANSWERS) await expect(page.getByTestId(id)).toBeInViewport({ ratio: 1 });
  await expect(page.getByTestId('predict-digit')).toBeInViewport({ ratio: 1 });
  expect(await page.evaluate(() => scrollY)).toBe(0);
  await noSideScroll(page);
  // A link inside a sentence is exempt (WCAG 2.5.8's inline exception); every control is not.
  const small = await page.evaluate(() =>
    Array.from(document.querySelectorAll('button, a, summary, label.button-like'))
      .filter((el) => !(el.tagName === 'A' && el.closest('p, li')))
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
      .map(({ el, box }) => `${el.textContent?.trim()} ${box.width}×${box.height}`),
  );
  expect(small).toEqual([]);
  await page.getByTestId('confirm').tap();
  await expect(page.getByTestId('undo')).toBeVisible();
  expect(await labelsOnDisk(server.dataDir, 1)).toEqual([7]);
  await expect(page.getByTestId('sync-status')).toHaveText(/All answers sent/);
  // The answer carried this installation's anonymous id, kept in IndexedDB.
  const kept = await page.evaluate(
    () =>
      new Promise<unknown>((resolve, reject) => {
        const open = indexedDB.open('digit-loop-client');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const get = open.result.transaction('client').objectStore('client').get('clientId');
          get.onsuccess = () => resolve(get.result);
        };
      }),
  );
  expect(kept).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(stored(server.dataDir).entries[0]!.client_id).toBe(kept);
});

test('phone: an answer undone within 5 s never reaches the server', async ({ server, page }) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  await drawByTouch(page, SEVEN);
  await predictedDigit(page);
  await page.getByTestId('confirm').tap();
  await page.getByTestId('undo').tap();
  await expect(page.getByTestId('answer-toast')).toContainText('never sent');
  await expect.poll(() => pending(page)).toBe(0);
  await expect(page.getByTestId('pad')).toBeFocused();
  // Undo puts the drawing back, so the right answer is one tap away.
  expect(await predictedDigit(page)).toBe('7');
  await page.getByTestId('label-1').tap();
  // Sync sends in queue order: had the undone 7 left the device, it would arrive with the 1.
  expect(await labelsOnDisk(server.dataDir, 1)).toEqual([1]);
});

test('phone: with the server out of reach the status says so, and why', async ({
  server,
  profile,
  page,
}) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  await profile.route('**/api/feedback', (route) => route.abort('connectionrefused'));
  await drawByTouch(page, SEVEN);
  await predictedDigit(page);
  await page.getByTestId('confirm').tap();
  const status = page.getByTestId('sync-status');
  await expect(status).toContainText("Can't reach the server", { timeout: 30_000 });
  await expect(status).not.toContainText(/online/i);
  await expect(page.getByTestId('pending-count')).toHaveText('1');
  await expect(page.getByTestId('sync-why')).toBeVisible();
  await expect(page.getByTestId('sync-why')).toContainText('did not answer');
  await profile.unroute('**/api/feedback');
  // The backoff may be tens of seconds by now; the user need not wait for it.
  await page.getByTestId('sync-retry').tap();
  expect(await labelsOnDisk(server.dataDir, 1)).toEqual([7]);
  await expect(status).toHaveText(/All answers sent/, { timeout: 60_000 });
});

test('phone: a dot, a cleared pad and a scribble are unsure and queue nothing', async ({
  server,
  page,
}) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  const unsure = page.getByTestId('unsure');
  for (const [name, paths] of [
    ['dot', DOT],
    ['scribble', SCRIBBLE],
  ] as const) {
    await drawByTouch(page, paths);
    await expect(unsure, name).toBeVisible({ timeout: 30_000 });
    await expect(unsure).toContainText('Not sure this is a digit');
    await expect(page.getByTestId('confirm')).toBeHidden();
    await page.getByTestId('skip').tap();
    await expect(unsure).toBeHidden();
    await expect(page.getByTestId('clear')).toBeDisabled();
  }
  await drawByTouch(page, SEVEN);
  await predictedDigit(page);
  await page.getByTestId('clear').tap();
  await expect(unsure).toContainText('blank');
  await expect(page.getByTestId('answer-anyway')).toBeHidden();
  await page.getByTestId('skip').tap();
  await expect(unsure).toBeHidden();
  // A dot can still be answered on purpose.
  await drawByTouch(page, DOT);
  await page.getByTestId('answer-anyway').tap();
  await expect(page.getByTestId('confirm')).toBeVisible();
  await page.getByTestId('clear').tap();
  expect(await pending(page)).toBe(0);
  await drawByTouch(page, SEVEN);
  await predictedDigit(page);
  await page.getByTestId('label-4').tap();
  // Only the one answer ever reaches the server.
  expect(await labelsOnDisk(server.dataDir, 1)).toEqual([4]);
});

test('phone: axe finds no violations on the main page', async ({ server, page }) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  const axe = () => new AxeBuilder({ page }).analyze();
  expect((await axe()).violations).toEqual([]);
  await drawByTouch(page, SEVEN);
  await predictedDigit(page);
  expect((await axe()).violations).toEqual([]);
  await page.getByTestId('confirm').tap();
  await expect(page.getByTestId('undo')).toBeVisible();
  expect((await axe()).violations).toEqual([]);
  await drawByTouch(page, DOT);
  await expect(page.getByTestId('unsure')).toBeVisible();
  expect((await axe()).violations).toEqual([]);
  await noSideScroll(page);
  // The narrowest phone the app issue names.
  await page.setViewportSize({ width: 360, height: 740 });
  await noSideScroll(page);
});
