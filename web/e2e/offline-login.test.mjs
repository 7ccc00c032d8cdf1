// Offline login against the encrypted vault on the phone, and its lockout after five wrong
// passwords in a row.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CASEWORKER_PASSWORD,
  loginAndWaitForCases,
  logOut,
  openApp,
  submitLogin,
  withServerAndBrowser,
} from './harness.mjs';

const USER = 'cw.shirin';
const WRONG_PASSWORD = 'not-the-password';
const WRONG_PASSWORD_TEXT = 'ব্যবহারকারীর নাম বা পাসওয়ার্ড ভুল।';
const LOCKED_TEXT = 'এই ফোনে অনেকবার ভুল পাসওয়ার্ড দেওয়া হয়েছে।';

const setup = withServerAndBrowser();

/** Returns the text of the login error after the login in progress ends. */
async function loginError(page) {
  await page.locator('form button[type=submit]:not([disabled])').waitFor();
  const alert = page.locator('.login [role=alert]');
  await alert.waitFor();
  return alert.innerText();
}

test('offline login and lockout', { timeout: 120_000 }, async () => {
  const { page, context } = setup.browser;
  await openApp(page, setup.server.baseUrl);
  await loginAndWaitForCases(page, USER, CASEWORKER_PASSWORD, 'bn');
  await logOut(page);

  // Offline, the same password opens the vault this device created at the online login.
  await context.setOffline(true);
  await page.locator('.login .notice', { hasText: 'আপনি এখন অফলাইনে' }).waitFor();
  await loginAndWaitForCases(page, USER, CASEWORKER_PASSWORD);
  await page.locator('[data-testid=connection]', { hasText: 'অফলাইন' }).waitFor();
  await logOut(page);

  // Four wrong passwords are each reported as wrong, the fifth locks offline login.
  for (let attempt = 1; attempt <= 4; attempt++) {
    await submitLogin(page, USER, WRONG_PASSWORD);
    assert.equal(await loginError(page), WRONG_PASSWORD_TEXT, `wrong password attempt ${attempt}`);
  }
  await submitLogin(page, USER, WRONG_PASSWORD);
  const lockMessage = await loginError(page);
  assert.ok(lockMessage.startsWith(LOCKED_TEXT), `fifth wrong password shows the lock message, got: ${lockMessage}`);
  assert.match(lockMessage, /৫ মিনিট/);

  // While locked, the right password is rejected too and nothing opens.
  await submitLogin(page, USER, CASEWORKER_PASSWORD);
  const lockedAgain = await loginError(page);
  assert.ok(lockedAgain.startsWith(LOCKED_TEXT), `right password while locked, got: ${lockedAgain}`);
  assert.equal(await page.locator('[data-testid=case-list]').count(), 0);
});
