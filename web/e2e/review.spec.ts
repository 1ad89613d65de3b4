import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { DISPUTED_FILE, heldBackEntrySchema, reviewPageSchema } from 'sync-server/contract';
import { E2E_ADMIN_TOKEN, expect, test } from './fixtures';
import { postAnswers } from './helpers';

// The Review tab: flagged answers (and ones the trainer held back) decided by keyboard.
const LIAR = 'a1000000-0000-4000-8000-000000000001';

/** The ids the server lists in `state`, asked with the admin token. */
async function listed(baseUrl: string, state: string): Promise<string[]> {
  const res = await fetch(`${baseUrl}/api/admin/review?state=${state}`, {
    headers: { authorization: `Bearer ${E2E_ADMIN_TOKEN}` },
  });
  return reviewPageSchema.parse(await res.json()).items.map((i) => i.id);
}

test('review: keyboard accept and reject, bulk by client, recorded by the server', async ({
  server,
  page,
}) => {
  // The client's model was sure of 1, the user said 7: `confident_disagreement`.
  const flagged = await postAnswers(server.baseUrl, 3, {
    label: 7,
    predicted: 1,
    confidence: 0.995,
    clientId: LIAR,
  });
  // An answer stored unflagged that a retrain held back: the trainer's line, as it writes it.
  const [disputed] = await postAnswers(server.baseUrl, 1);
  const line = heldBackEntrySchema.parse({
    id: disputed,
    flag: 'disputed',
    at: new Date().toISOString(),
    model: 'e2e',
  });
  fs.appendFileSync(path.join(server.dataDir, DISPUTED_FILE), `${JSON.stringify(line)}\n`);

  await page.goto(`${server.baseUrl}/dashboard`);
  await expect(page.getByTestId('review-pending')).toHaveText('4');
  await page.getByTestId('tab-review').click();
  await page.getByLabel('Admin token').fill(E2E_ADMIN_TOKEN);
  await page.getByTestId('review-filter-pending').click();
  const cards = page.getByTestId('review-item');
  await expect(cards).toHaveCount(4);
  await expect(cards.last()).toContainText('disputed');
  await expect(cards.first().getByRole('img', { name: 'drawing labelled 7' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveCount(1);
  for (const control of await page.locator('.review button').all()) {
    const box = (await control.boundingBox())!;
    expect(Math.min(box.width, box.height)).toBeGreaterThanOrEqual(44);
  }
  expect((await new AxeBuilder({ page }).analyze()).violations).toEqual([]);

  // A accepts the focused card; the next one takes its place and the focus.
  await cards.first().focus();
  await page.keyboard.press('a');
  await expect(cards).toHaveCount(3);
  await expect(cards.first()).toBeFocused();
  // Two to the right is the held-back answer: R rejects it.
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(cards.nth(2)).toBeFocused();
  await page.keyboard.press('r');
  await expect(cards).toHaveCount(2);
  await expect(page.getByTestId('review-message')).toHaveText('Rejected 1 answer.');
  expect(await listed(server.baseUrl, 'accepted')).toEqual([flagged[0]]);
  expect(await listed(server.baseUrl, 'rejected')).toEqual([disputed]);

  // Everything the client sent, including the answer accepted above.
  await page.getByTestId('review-reject-client').click();
  await expect(page.getByTestId('review-message')).toHaveText('Rejected 3 answers.');
  await expect(cards).toHaveCount(0);
  expect((await listed(server.baseUrl, 'rejected')).sort()).toEqual([...flagged, disputed].sort());
  expect(await listed(server.baseUrl, 'pending')).toEqual([]);
  await page.getByTestId('tab-overview').click();
  await expect(page.getByTestId('review-pending')).toHaveText('0');
});
