import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { manifestSchema, statusSchema } from 'sync-server/contract';
import { E2E_THRESHOLD } from './global-setup';
import {
  closeProfile,
  drawSeven,
  env,
  launchProfile,
  modelReady,
  pending,
  predictedDigit,
  sevenPhoto,
  stored,
} from './helpers';

// The suite is one user's session: each test builds on the answers of the one before.
test.describe.configure({ mode: 'serial' });

let context: BrowserContext;
let page: Page;
let firstVersion: string;
const startedAt = Date.now();

test.beforeAll(async () => {
  context = await launchProfile();
  page = context.pages()[0] ?? (await context.newPage());
});
test.afterAll(async () => {
  if (context) await closeProfile(context);
});

test('a drawn 7 is predicted as 7', async () => {
  await page.goto(env('E2E_BASE_URL'));
  firstVersion = await modelReady(page);
  await expect(page.getByTestId('backend')).toHaveText(/^(wasm|webgl|cpu)$/);
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
  await expect(page.getByTestId('predict-confidence')).toHaveText(/\d+(\.\d+)?%/);
});

test('an uploaded photo of a 7 is predicted as 7', async () => {
  await page.getByTestId('clear').click();
  await expect(page.getByTestId('predict-digit')).toBeHidden();
  await page
    .getByTestId('upload-input')
    .setInputFiles({ name: 'seven.png', mimeType: 'image/png', buffer: sevenPhoto() });
  expect(await predictedDigit(page)).toBe('7');
  await page.getByTestId('clear').click();
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
});

test('a confirmation and a correction reach new_data on disk', async () => {
  const data = env('E2E_DATA_DIR');
  await page.getByTestId('confirm').click();
  await expect.poll(() => stored(data).pngs, { timeout: 20_000 }).toBe(1);
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
  await page.getByTestId('label-2').click();
  await expect.poll(() => stored(data).pngs, { timeout: 20_000 }).toBe(2);
  const entries = stored(data).entries;
  expect(entries.map((e) => [e.true_label, e.predicted_label])).toEqual([
    [7, 7],
    [2, 7],
  ]);
  expect(entries.every((e) => e.model_version === firstVersion)).toBe(true);
  await expect(page.getByTestId('pending-count')).toHaveText('0');
});

test('offline: answers queue, a reload still predicts, going online flushes', async () => {
  const data = env('E2E_DATA_DIR');
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await context.setOffline(true);
  await page.reload();
  expect(await modelReady(page)).toBe(firstVersion);
  await expect(page.getByTestId('sync-status')).toContainText(/offline/i);
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
  await page.getByTestId('confirm').click();
  await expect.poll(() => pending(page)).toBe(1);
  await drawSeven(page);
  await predictedDigit(page);
  await page.getByTestId('label-3').click();
  await expect.poll(() => pending(page)).toBe(2);
  expect(stored(data).pngs).toBe(2);
  await context.setOffline(false);
  await expect.poll(() => stored(data).pngs, { timeout: 60_000 }).toBe(4);
  await expect.poll(() => pending(page), { timeout: 20_000 }).toBe(0);
  await expect(page.getByTestId('sync-status')).toContainText(/online/i);
});

test('after the threshold a retrain runs and a reload shows the new version', async () => {
  // The trainer needs about a minute on an idle 2-core machine; allow for a busy one.
  test.setTimeout(25 * 60_000);
  expect(stored(env('E2E_DATA_DIR')).pngs).toBe(E2E_THRESHOLD);
  const base = env('E2E_BASE_URL');
  const status = async () => statusSchema.parse(await (await fetch(`${base}/api/status`)).json());
  await expect
    .poll(
      async () => {
        const s = await status();
        const done = Date.parse(s.retrain.lastRun?.finishedAt ?? '') > startedAt;
        return done && s.retrain.state === 'idle' ? s.retrain.lastRun!.outcome : 'pending';
      },
      { timeout: 24 * 60_000, intervals: [5000] },
    )
    .toBe('published');
  const manifest = manifestSchema.parse(await (await fetch(`${base}/api/model/manifest`)).json());
  expect(manifest.current).not.toBe(firstVersion);
  // The open page notices on its next manifest check (here: the network coming back).
  await context.setOffline(true);
  await context.setOffline(false);
  await expect(page.getByText(`A newer model (${manifest.current}) is live`)).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('model-version')).toHaveText(manifest.current, { timeout: 60_000 });
  await drawSeven(page);
  expect(await predictedDigit(page)).toMatch(/^\d$/);
});

test('the dashboard shows both versions, the retrain outcome and the totals', async () => {
  await page.goto(`${env('E2E_BASE_URL')}/#/dashboard`);
  const versions = page.locator('table.versions tbody tr');
  await expect(versions).toHaveCount(2);
  await expect(versions.first()).toContainText('live');
  await expect(page.getByText(/last: published/)).toBeVisible();
  await expect(page.locator('.card', { hasText: 'Feedback' })).toContainText(`${E2E_THRESHOLD}`);
  await expect(page.getByRole('img', { name: 'Accuracy per model version' })).toBeVisible();
  await page.goto(`${env('E2E_BASE_URL')}/#/`);
});

test('chromium finds the app installable', async () => {
  const cdp = await context.newCDPSession(page);
  const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
  expect(installabilityErrors).toEqual([]);
  const manifest = await page.evaluate(async () => {
    const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
    return link
      ? ((await (await fetch(link.href)).json()) as { icons: { sizes: string }[] })
      : null;
  });
  expect(manifest?.icons.map((i) => i.sizes)).toEqual(
    expect.arrayContaining(['192x192', '512x512']),
  );
  expect(await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active)).toBe(
    true,
  );
});
