import { manifestSchema, statusSchema } from 'sync-server/contract';
import { E2E_THRESHOLD, expect, test } from './fixtures';
import {
  addRetrainedVersion,
  committed,
  drawSeven,
  modelReady,
  pending,
  postAnswers,
  predictedDigit,
  sevenPhoto,
  stored,
} from './helpers';

// Each test has its own server, data and browser profile (fixtures.ts): any one runs alone.

test('a drawn 7 is predicted as 7', async ({ server, page }) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  await expect(page.getByTestId('backend')).toHaveText(/^(wasm|webgl|cpu)$/);
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
  await expect(page.getByTestId('predict-confidence')).toHaveText(/\d+(\.\d+)?%/);
});

test('an uploaded photo of a 7 is predicted as 7', async ({ server, page }) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  await page
    .getByTestId('upload-input')
    .setInputFiles({ name: 'seven.png', mimeType: 'image/png', buffer: sevenPhoto() });
  expect(await predictedDigit(page)).toBe('7');
  await page.getByTestId('clear').click();
  await expect(page.getByTestId('predict-digit')).toBeHidden();
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
});

test('a confirmation and a correction reach new_data on disk', async ({ server, page }) => {
  await page.goto(server.baseUrl);
  const version = await modelReady(page);
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
  await page.getByTestId('confirm').click();
  await expect.poll(() => stored(server.dataDir).pngs, { timeout: 20_000 }).toBe(1);
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
  await page.getByTestId('label-2').click();
  const entries = await committed(server.dataDir, 2);
  expect(entries.map((e) => [e.true_label, e.predicted_label])).toEqual([
    [7, 7],
    [2, 7],
  ]);
  expect(entries.every((e) => e.model_version === version)).toBe(true);
  await expect(page.getByTestId('pending-count')).toHaveText('0');
});

test('offline: answers queue, a reload still predicts, going online flushes', async ({
  server,
  profile,
  page,
}) => {
  await page.goto(server.baseUrl);
  const version = await modelReady(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await profile.setOffline(true);
  await page.reload();
  expect(await modelReady(page)).toBe(version);
  await expect(page.getByTestId('sync-status')).toContainText(/offline/i);
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
  await page.getByTestId('confirm').click();
  await expect.poll(() => pending(page)).toBe(1);
  await drawSeven(page);
  await predictedDigit(page);
  await page.getByTestId('label-3').click();
  await expect.poll(() => pending(page)).toBe(2);
  expect(stored(server.dataDir).pngs).toBe(0);
  await profile.setOffline(false);
  await expect.poll(() => stored(server.dataDir).pngs, { timeout: 60_000 }).toBe(2);
  await expect.poll(() => pending(page), { timeout: 20_000 }).toBe(0);
  await expect(page.getByTestId('sync-status')).toHaveText(/All answers sent/);
});

/** The first of sixteen answer ids (counting up) that the trainer's `isHoldout` keeps in training. */
const HOLDOUT_FREE_IDS = 3301;

test.describe('with the local trainer', () => {
  test.use({ serverOptions: { env: { RETRAIN_DRIVER: 'local' } } });

  test('after the threshold a retrain runs and a reload shows the new version', async ({
    server,
    profile,
    page,
  }) => {
    // The trainer needs about a minute on an idle 2-core machine; allow for a busy one.
    test.setTimeout(25 * 60_000);
    // The trainer disputes the corrections of so clear a 7, and holds a fifth of the answers
    // out of training by a hash of their id. With random ids, every answer left to train
    // sometimes fell in the holdout and the run had nothing to train on (`rejected`), so the
    // ids are fixed here, all outside the holdout. A reload starts them again: answer before it.
    await profile.addInitScript((first) => {
      let n = first;
      crypto.randomUUID = () => `00000000-0000-4000-8000-${(n++).toString(16).padStart(12, '0')}`;
    }, HOLDOUT_FREE_IDS);
    await page.goto(server.baseUrl);
    const firstVersion = await modelReady(page);
    // Confirmations and corrections, as a user gives them, up to the threshold.
    const answers = ['confirm', 'label-2', 'confirm', 'label-3'].slice(0, E2E_THRESHOLD);
    for (const [i, answer] of answers.entries()) {
      await drawSeven(page);
      await predictedDigit(page);
      await page.getByTestId(answer).click();
      await expect.poll(() => stored(server.dataDir).pngs, { timeout: 20_000 }).toBe(i + 1);
    }
    const finished = async () => {
      const { retrain } = statusSchema.parse(
        await (await fetch(`${server.baseUrl}/api/status`)).json(),
      );
      return retrain.state === 'idle' && retrain.lastRun ? retrain.lastRun : null;
    };
    await expect.poll(finished, { timeout: 24 * 60_000, intervals: [5000] }).not.toBeNull();
    // The gate's reason says why, should a run ever be rejected.
    const run = (await finished())!;
    expect(run.outcome, run.reason).toBe('published');
    const manifest = manifestSchema.parse(
      await (await fetch(`${server.baseUrl}/api/model/manifest`)).json(),
    );
    expect(manifest.current).not.toBe(firstVersion);
    // The open page notices on its next manifest check (here: the network coming back).
    await profile.setOffline(true);
    await profile.setOffline(false);
    await expect(page.getByTestId('model-update')).toContainText('A newer model is ready');
    await page.reload();
    await expect(page.getByTestId('model-version')).toHaveAttribute(
      'data-version',
      manifest.current,
      {
        timeout: 60_000,
      },
    );
    await drawSeven(page);
    expect(await predictedDigit(page)).toMatch(/^\d$/);
  });
});

test.describe('after a published retrain', () => {
  test.use({ serverOptions: { prepareModels: addRetrainedVersion } });

  test('the dashboard shows both versions, the retrain outcome and the totals', async ({
    server,
    page,
  }) => {
    await postAnswers(server.baseUrl, 3);
    await page.goto(`${server.baseUrl}/dashboard`);
    const versions = page.locator('table.versions tbody tr');
    await expect(versions).toHaveCount(2);
    await expect(versions.first()).toContainText('live');
    await expect(page.getByText(/last: published/)).toBeVisible();
    await expect(page.locator('.card', { hasText: 'Feedback' })).toContainText('3');
    await expect(page.getByRole('img', { name: 'Accuracy per model version' })).toBeVisible();
  });
});

test('chromium finds the app installable', async ({ server, page }) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  expect(await page.evaluate(async () => !!(await navigator.serviceWorker.ready).active)).toBe(
    true,
  );
  const cdp = await page.context().newCDPSession(page);
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
});
