import { expect, test } from './fixtures';
import { committed, drawSeven, modelReady, pending, predictedDigit } from './helpers';

// Desktop, keyboard only once the digit is drawn (drawing itself needs a pointer).

test('keyboard: Enter confirms, Ctrl+Z undoes the answer, a digit key answers', async ({
  server,
  page,
}) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('undo')).toBeVisible();
  await expect(page.getByTestId('pad')).toBeFocused();
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('answer-toast')).toContainText('never sent');
  await expect.poll(() => pending(page)).toBe(0);
  expect(await predictedDigit(page)).toBe('7');
  await page.keyboard.press('2');
  await expect(page.getByTestId('pad')).toBeFocused();
  expect((await committed(server.dataDir, 1)).map((e) => e.true_label)).toEqual([2]);
});

test('keyboard: Esc clears, Ctrl+Z undoes a stroke, focus is visible on the upload buttons', async ({
  server,
  page,
}) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  await drawSeven(page);
  await predictedDigit(page);
  await page.keyboard.press('Control+z');
  await expect(page.getByTestId('clear')).toBeDisabled();
  await drawSeven(page);
  await predictedDigit(page);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('predict-digit')).toBeHidden();
  await expect(page.getByTestId('clear')).toBeDisabled();
  // Tab to "Choose image": its label shows the focus ring of the hidden input inside it.
  const input = page.getByTestId('upload-input');
  for (let i = 0; i < 30 && !(await input.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(input).toBeFocused();
  const outline = await input.evaluate((el) => getComputedStyle(el.closest('label')!).outlineStyle);
  expect(outline).not.toBe('none');
});
