// Two caseworkers share one phone: each has a separate encrypted vault, neither sees the
// other's cases or pending changes, and one user's unsent change survives the other's session.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  apiClient,
  CASEWORKER_PASSWORD,
  dumpIndexedDb,
  loginAndWaitForCases,
  logOut,
  openApp,
  saveButton,
  withServerAndBrowser,
} from './harness.mjs';
import { userKey, vaultName } from './sync-helpers.mjs';

const USER_A = 'cw.rahima';
const USER_B = 'cw.farzana';
/** Written by A offline. Bangla and Latin, so a plaintext copy in either script would show. */
const NICKNAME = 'ঝুমুরমণি Jhumur-E2E';

const setup = withServerAndBrowser();

/** Returns the sorted names of the open cases the case list shows. */
async function listedNames(page) {
  await page.locator('#case-status').selectOption('open');
  return (await page.locator('[data-testid=case-list] li .name').allInnerTexts()).sort();
}

/** Returns `username`'s cases as the server sends them to the phone. */
async function serverCases(username) {
  const api = await apiClient(setup.server.baseUrl, username, CASEWORKER_PASSWORD);
  return (await api.get('/caseload?limit=200')).cases;
}

/** Returns the sorted names of `username`'s open cases, as the server sends them. */
async function serverNames(username) {
  return (await serverCases(username))
    .filter((record) => record.status === 'open')
    .map((record) => [record.data.name_first, record.data.name_middle, record.data.name_last].filter(Boolean).join(' '))
    .sort();
}

test('two users on one phone', { timeout: 180_000 }, async () => {
  const { page, context } = setup.browser;
  await openApp(page, setup.server.baseUrl);

  // A logs in online, then changes a case offline and logs out with the change pending.
  await loginAndWaitForCases(page, USER_A, CASEWORKER_PASSWORD, 'bn');
  assert.deepEqual(await listedNames(page), await serverNames(USER_A));
  await context.setOffline(true);
  await page.locator('[data-testid=connection]', { hasText: 'অফলাইন' }).waitFor();
  await page.locator('[data-testid=case-list] li a').first().click();
  const caseId = page.url().match(/#\/cases\/([0-9a-f-]+)/)[1];
  await page.goto(`${setup.server.baseUrl}/#/cases/${caseId}/edit/basic_identity`);
  await page.locator('#f-name_nickname').fill(NICKNAME);
  await saveButton(page).click();
  await page.locator('[data-testid=case-sync]', { hasText: 'এখনো পাঠানো হয়নি' }).waitFor();
  await page.locator('[data-testid=pending]', { hasText: '১' }).waitFor();
  await logOut(page, { expectPendingWarning: true });

  // B logs in online on the same browser profile and sees only B's cases, with nothing pending.
  await context.setOffline(false);
  await loginAndWaitForCases(page, USER_B, CASEWORKER_PASSWORD, 'en');
  await page.locator('[data-testid=pending]', { hasText: 'All changes sent' }).waitFor({ timeout: 30_000 });
  const namesOfB = await listedNames(page);
  assert.deepEqual(namesOfB, await serverNames(USER_B));
  for (const name of await serverNames(USER_A)) {
    assert.ok(!namesOfB.includes(name), `B's list does not show A's case ${name}`);
  }
  assert.equal(await page.locator('.badge.pending').count(), 0, 'no case of B is marked as not sent');

  // Each user has a vault database of their own, and nothing in IndexedDB is readable.
  const stored = await dumpIndexedDb(page);
  assert.ok(stored.names.includes(vaultName(USER_A)), `A's vault in ${stored.names.join(', ')}`);
  assert.ok(stored.names.includes(vaultName(USER_B)), `B's vault in ${stored.names.join(', ')}`);
  // The registry stores the user key in the clear, so finding it shows the dump reads the values.
  assert.ok(
    stored.values.some(({ text }) => text.includes(userKey(USER_A))),
    'the IndexedDB dump contains the registry entry of A',
  );
  // Names of four or more characters: a shorter one could match ciphertext decoded as UTF-8 by chance.
  const caseNames = [...(await serverCases(USER_A)), ...(await serverCases(USER_B))]
    .flatMap((record) => [record.data.name_first, record.data.name_last])
    .filter((name) => typeof name === 'string' && [...name].length >= 4);
  assert.ok(caseNames.length > 0, 'the caseloads have names to look for');
  const plaintext = [NICKNAME, ...NICKNAME.split(' '), USER_A, USER_B, 'Rahima Akter', 'Farzana Yasmin', ...caseNames];
  for (const { database, store, text } of stored.values) {
    for (const secret of plaintext) {
      assert.ok(!text.includes(secret), `${database}/${store} contains "${secret}" in plaintext`);
    }
  }

  // B logs out; A logs in again online and the pending change reaches the server.
  await logOut(page);
  await loginAndWaitForCases(page, USER_A, CASEWORKER_PASSWORD, 'bn');
  await page.locator('[data-testid=pending]', { hasText: 'সব পরিবর্তন পাঠানো হয়েছে' }).waitFor({ timeout: 30_000 });
  const api = await apiClient(setup.server.baseUrl, USER_A, CASEWORKER_PASSWORD);
  const onServer = await api.get(`/cases/${caseId}`);
  assert.equal(onServer.data.name_nickname, NICKNAME);
});
