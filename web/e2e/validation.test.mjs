// The registration form rejects missing and invalid values in the user's language, under each
// field, and saves nothing.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiClient,
  CASEWORKER_PASSWORD,
  loginAndWaitForCases,
  openApp,
  saveButton,
  withServerAndBrowser,
} from './harness.mjs';

const USER = 'cw.mahmud';
const REQUIRED_TEXT = 'এই ঘরটি পূরণ করা আবশ্যক। পূরণ করে আবার সংরক্ষণ করুন।';
const MIXED_DIGITS_TEXT = 'এই মানে ভিন্ন ভিন্ন লিপির অঙ্ক মেশানো হয়েছে';
const FIX_ERRORS_TEXT = 'কয়েকটি ঘর সংশোধন করতে হবে। কিছুই সংরক্ষণ করা হয়নি।';

const setup = withServerAndBrowser();

test('registration errors in Bangla', { timeout: 120_000 }, async () => {
  const { page } = setup.browser;
  const api = await apiClient(setup.server.baseUrl, USER, CASEWORKER_PASSWORD);
  const totalBefore = (await api.get('/cases?status=open')).total;

  await openApp(page, setup.server.baseUrl);
  await loginAndWaitForCases(page, USER, CASEWORKER_PASSWORD, 'bn');
  await page.locator('[data-testid=pending]', { hasText: 'সব পরিবর্তন পাঠানো হয়েছে' }).waitFor();
  const listedBefore = await page.locator('[data-testid=case-list] li').count();

  await page.locator('a[href="#/new"]').click();
  await page.locator('#f-age').fill('1৫');
  await saveButton(page).click();

  await page.locator('form [role=alert].notice', { hasText: FIX_ERRORS_TEXT }).waitFor();
  const ageError = await page.locator('#f-age-error').innerText();
  assert.match(ageError, new RegExp(MIXED_DIGITS_TEXT));
  assert.match(ageError, /\(ইংরেজি, বাংলা\)/, 'the digit scripts are named in Bangla');
  assert.equal(await page.locator('#f-age').getAttribute('aria-invalid'), 'true');
  for (const field of ['registration_date', 'name_first', 'sex', 'location_current', 'risk_level']) {
    assert.equal(await page.locator(`#f-${field}-error`).innerText(), REQUIRED_TEXT, `required error under ${field}`);
  }
  const concernsError = page.locator('[data-field=protection_concerns] p.error');
  assert.equal(await concernsError.innerText(), REQUIRED_TEXT, 'required error under protection_concerns');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-invalid')), 'true', 'focus moves to an invalid field');

  // Nothing was saved on the phone or sent to the server.
  assert.match(page.url(), /#\/new$/);
  assert.match(await page.locator('[data-testid=pending]').innerText(), /সব পরিবর্তন পাঠানো হয়েছে/);
  await page.locator('a[href="#/cases"]').first().click();
  await page.locator('[data-testid=case-list]').waitFor();
  assert.equal(await page.locator('[data-testid=case-list] li').count(), listedBefore);
  assert.equal((await api.get('/cases?status=open')).total, totalBefore);
});
