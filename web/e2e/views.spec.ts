import { E2E_ADMIN_TOKEN, expect, test } from './fixtures';
import {
  addRetrainedVersion,
  drawSeven,
  modelReady,
  postAnswers,
  predictedDigit,
  stored,
} from './helpers';

// The views beside the pad: real paths, your answers, privacy, the new-model toast.

test.describe('after a published retrain', () => {
  test.use({ serverOptions: { prepareModels: addRetrainedVersion } });

  test('/dashboard loaded directly shows the dashboard, and an old #/ link redirects', async ({
    server,
    page,
  }) => {
    await postAnswers(server.baseUrl, 3);
    const res = await page.goto(`${server.baseUrl}/dashboard`);
    expect(res?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
    await expect(page.locator('table.versions tbody tr')).toHaveCount(2);
    await expect(page.locator('table.versions tbody tr').first()).toContainText('v2');
    await expect(page.getByRole('img', { name: 'Accuracy per model version' })).toBeVisible();
    // The answers posted above: the per-version statistics from /api/stats.
    await expect(page.getByText(/of 3 answers/)).toBeVisible();
    // People's drawings only for the admin.
    await page.getByLabel('Admin token').fill(E2E_ADMIN_TOKEN);
    await page.getByRole('button', { name: 'Show recent answers' }).click();
    await expect(page.locator('.recent-grid canvas')).toHaveCount(3);
    await page.goto(`${server.baseUrl}/#/answers`);
    await expect(page).toHaveURL(`${server.baseUrl}/answers`);
    await expect(page.getByRole('heading', { level: 1, name: 'Your answers' })).toBeVisible();
  });
});

test('the answers view lists an answer after sync, also offline', async ({
  server,
  profile,
  page,
}) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
  await page.getByTestId('label-2').click();
  await expect.poll(() => stored(server.dataDir).pngs, { timeout: 20_000 }).toBe(1);
  await page.getByRole('link', { name: 'Answers', exact: true }).click();
  await expect(page).toHaveURL(`${server.baseUrl}/answers`);
  const item = page.getByTestId('answer-list').locator('li');
  await expect(item).toHaveCount(1);
  await expect(item).toContainText('2');
  await expect(item).toContainText('Sent, not used in a model yet');
  await expect(item.getByRole('img', { name: 'your drawing of 2' })).toBeVisible();
  await profile.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('answer-list').locator('li')).toContainText('Sent');
});

test.describe('on a first visit', () => {
  test.use({ firstRun: true });

  test('the privacy notice says what is sent, and Forget me clears the answers', async ({
    server,
    page,
  }) => {
    await page.goto(server.baseUrl);
    const notice = page.getByTestId('privacy-notice');
    await expect(notice).toBeVisible();
    await notice.getByText('What is sent and kept').click();
    await expect(notice).toContainText('anonymous');
    await page.getByTestId('privacy-ok').click();
    await expect(notice).toBeHidden();
    await modelReady(page);
    await drawSeven(page);
    await predictedDigit(page);
    await page.getByTestId('confirm').click();
    await expect.poll(() => stored(server.dataDir).pngs, { timeout: 20_000 }).toBe(1);
    await page.goto(`${server.baseUrl}/answers`);
    await expect(page.getByTestId('answer-list').locator('li')).toHaveCount(1);
    await page.getByTestId('forget-me').click();
    await page.getByTestId('forget-confirm').click();
    await expect(page.getByTestId('answer-list')).toBeHidden();
    await expect(page.getByText('No answers from this device yet')).toBeVisible();
    await page.reload();
    await expect(page.getByText('No answers from this device yet')).toBeVisible();
    await expect(page.getByTestId('privacy-notice')).toBeHidden();
  });
});

test('an open page learns of a new model within a minute and uses it with one tap', async ({
  server,
  page,
}) => {
  await page.goto(server.baseUrl);
  const first = await modelReady(page);
  const pad = await page.getByTestId('pad').boundingBox();
  const next = addRetrainedVersion(server.modelsDir);
  const toast = page.getByTestId('model-update');
  await expect(toast).toHaveText(/A newer model is ready \(learned from 4 more answers\)/, {
    timeout: 65_000,
  });
  // A floating toast: the pad has not moved.
  expect(await page.getByTestId('pad').boundingBox()).toEqual(pad);
  await page.getByTestId('use-newer').click();
  await expect(toast).toBeHidden({ timeout: 60_000 });
  expect(next).not.toBe(first);
  await expect(page.getByTestId('model-version')).toHaveAttribute('data-version', next);
});
