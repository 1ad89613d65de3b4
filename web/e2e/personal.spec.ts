import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { drawSeven, modelReady, predictedDigit, rememberAnswers, styledAnswers } from './helpers';

/** "Forget my handwriting", then the same 7 drawn on a clear pad: the digit predicted. */
async function forgetAndDrawAgain(page: Page): Promise<string> {
  await page.getByTestId('forget-personal').click();
  await expect(page.getByRole('status').filter({ hasText: 'Forgotten' })).toBeVisible();
  await page.getByTestId('clear').click();
  await drawSeven(page);
  return predictedDigit(page);
}

test('a corrected digit is read right the next time, until the handwriting is forgotten', async ({
  server,
  page,
}) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
  await expect(page.getByTestId('personal')).toBeHidden();
  // The user says this drawing is a 3: the device learns it before any retrain.
  await page.getByTestId('label-3').click();
  await expect(page.getByTestId('predict-digit')).toBeHidden();

  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('3');
  await expect(page.getByTestId('personal')).toBeVisible();
  await expect(page.getByTestId('personal-count')).toContainText('1 of your answers');

  expect(await forgetAndDrawAgain(page)).toBe('7');
  await expect(page.getByTestId('personal')).toBeHidden();
  await expect(page.getByTestId('forget-personal')).toBeHidden();
});

test('an undone answer is taken out of the personal memory too', async ({ server, page }) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  await drawSeven(page);
  expect(await predictedDigit(page)).toBe('7');
  await page.getByTestId('label-3').click();
  await page.getByTestId('undo').click();
  await expect(page.getByTestId('answer-toast')).toContainText('never sent');
  // Undo puts the same drawing back: remembered as a 3, it would now be read as one.
  expect(await predictedDigit(page)).toBe('7');
  await expect(page.getByTestId('personal')).toBeHidden();
  await expect(page.getByTestId('personal-count')).toBeHidden();
});

test('answers in one slanted hand fit a hand in the page, and the result says so', async ({
  server,
  page,
}) => {
  await page.goto(server.baseUrl);
  await modelReady(page);
  await drawSeven(page); // the memory database exists once the app has read it
  expect(await predictedDigit(page)).toMatch(/^\d$/);
  await expect(page.getByTestId('personal-hand')).toBeHidden();

  const hand = await rememberAnswers(page, styledAnswers(40));
  expect(hand).not.toEqual({ rotationDeg: 0, slant: 0, aspect: 1 });
  await drawSeven(page);
  expect(await predictedDigit(page)).toMatch(/^\d$/);
  await expect(page.getByTestId('personal-count')).toContainText('40 of your answers');
  await expect(page.getByTestId('personal-hand')).toContainText('before the model reads them');

  expect(await forgetAndDrawAgain(page)).toBe('7');
  await expect(page.getByTestId('personal-hand')).toBeHidden();
});
