// A caseworker registers a child with no network, reloads the app offline, edits the case,
// and the case reaches the server with every value once the network is back.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiClient,
  bengaliDigits,
  CASEWORKER_PASSWORD,
  fillRegistration,
  loginAndWaitForCases,
  openApp,
  saveButton,
  submitLogin,
  todayInDhaka,
  withServerAndBrowser,
} from './harness.mjs';

const USER = 'cw.rahima';
const FIRST_NAME = 'নূর';
const LAST_NAME = 'বেগম';
const NICKNAME = 'নুরু';

const setup = withServerAndBrowser();

test('offline registration reaches server', { timeout: 180_000 }, async () => {
  const { page, context } = setup.browser;
  await openApp(page, setup.server.baseUrl);

  // Online login in English, then the switch to Bangla in Settings.
  await loginAndWaitForCases(page, USER, CASEWORKER_PASSWORD, 'en');
  await page.locator('a[href="#/settings"]').click();
  await page.locator('#settings-language').selectOption('bn');
  await page.locator('a[href="#/cases"]').first().click();
  await page.locator('#cases-title', { hasText: 'আমার কেস' }).waitFor();
  await page.locator('[data-testid=pending]', { hasText: 'সব পরিবর্তন পাঠানো হয়েছে' }).waitFor();
  const countBefore = await page.locator('[data-testid=case-list] li').count();
  assert.ok(countBefore > 0, 'the caseload of the demo caseworker is not empty');

  // Register offline.
  await context.setOffline(true);
  await page.locator('[data-testid=connection]', { hasText: 'অফলাইন' }).waitFor();
  await page.locator('a[href="#/new"]').click();
  await page.locator('#form-title', { hasText: 'শিশু নিবন্ধন' }).waitFor();
  const today = todayInDhaka();
  await fillRegistration(page, { date: bengaliDigits(today), firstName: FIRST_NAME, lastName: LAST_NAME, age: '৯' });
  await saveButton(page).click();
  await page.locator('#case-title', { hasText: `${FIRST_NAME} ${LAST_NAME}` }).waitFor();
  await page.locator('[data-testid=case-sync]', { hasText: 'এখনো পাঠানো হয়নি' }).waitFor();

  await page.locator('a[href="#/cases"]').first().click();
  const listed = page.locator('[data-testid=case-list] li', { hasText: FIRST_NAME });
  await listed.waitFor();
  assert.match(await listed.innerText(), /এখনো পাঠানো হয়নি/);
  assert.match(await page.locator('[data-testid=pending]').innerText(), /১/);

  // Reload with no network: the service worker serves the shell, and the vault needs the password again.
  await page.reload();
  await page.locator('#login-username').waitFor();
  await submitLogin(page, USER, CASEWORKER_PASSWORD);
  await listed.waitFor();
  assert.match(await listed.innerText(), /এখনো পাঠানো হয়নি/);

  // Edit offline: add a nickname on the basic identity form.
  await listed.locator('a').click();
  await page.locator('#case-title', { hasText: FIRST_NAME }).waitFor();
  const caseUrl = page.url();
  const caseId = caseUrl.match(/#\/cases\/([0-9a-f-]+)/)[1];
  await page.goto(`${setup.server.baseUrl}/#/cases/${caseId}/edit/basic_identity`);
  await page.locator('#f-name_nickname').fill(NICKNAME);
  await saveButton(page).click();
  await page.locator('#case-title', { hasText: FIRST_NAME }).waitFor();
  await page.locator('[data-testid=pending]', { hasText: '২' }).waitFor();

  // Back online: both changes go out.
  await context.setOffline(false);
  await page.locator('[data-testid=pending]', { hasText: 'সব পরিবর্তন পাঠানো হয়েছে' }).waitFor({ timeout: 30_000 });
  await page.locator('[data-testid=case-sync]', { hasText: 'পাঠানো হয়েছে' }).waitFor();

  const api = await apiClient(setup.server.baseUrl, USER, CASEWORKER_PASSWORD);
  const found = await api.get(`/cases?q=${encodeURIComponent(FIRST_NAME)}`);
  assert.equal(found.total, 1, `one case named ${FIRST_NAME} on the server`);
  assert.equal(found.cases[0].id, caseId);
  const stored = await api.get(`/cases/${caseId}`);
  assert.equal(stored.data.name_first, FIRST_NAME);
  assert.equal(stored.data.name_last, LAST_NAME);
  assert.equal(stored.data.registration_date, today);
  assert.equal(stored.data.sex, 'female');
  assert.equal(stored.data.age, 9);
  assert.equal(stored.data.date_of_birth_estimated, true);
  assert.equal(stored.data.date_of_birth, `${Number(today.slice(0, 4)) - 9}${today.slice(4)}`);
  assert.equal(stored.data.location_current, 'BD-CTG-CXB-UKH-C01E-B');
  assert.equal(stored.data.risk_level, 'high');
  assert.deepEqual(stored.data.protection_concerns, ['separated']);
  assert.equal(stored.data.name_nickname, NICKNAME);
});
