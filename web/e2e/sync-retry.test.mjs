// Changes made offline are sent when the phone reconnects, and the answer to that first
// `POST /sync` is lost after the server applied it. The client sends the same mutations again
// (same mutation ids), and the server holds each change once: one new case, one change-log entry.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CASEWORKER_PASSWORD,
  fillRegistration,
  loginAndWaitForCases,
  openApp,
  saveButton,
  todayInDhaka,
  withServerAndBrowser,
} from './harness.mjs';
import { apiSession, serverCaseload, waitForSynced } from './sync-helpers.mjs';

const USER = 'cw.rahima';
const FIRST_NAME = 'Retryname';
const NICKNAME = 'Retry-nick';

const setup = withServerAndBrowser();

test('lost sync answer duplicates nothing', { timeout: 300_000 }, async () => {
  const { page, context } = setup.browser;
  const { baseUrl } = setup.server;
  const api = await apiSession(baseUrl, USER, CASEWORKER_PASSWORD);

  await openApp(page, baseUrl);
  await loginAndWaitForCases(page, USER, CASEWORKER_PASSWORD, 'en');
  await waitForSynced(page);
  await page.locator('[data-testid=case-list] li a').first().click();
  const caseId = page.url().match(/#\/cases\/([0-9a-f-]+)/)[1];

  // Offline: one edit of an existing case and one new registration.
  await context.setOffline(true);
  await page.goto(`${baseUrl}/#/cases/${caseId}/edit/basic_identity`);
  await page.locator('#f-name_nickname').fill(NICKNAME);
  await saveButton(page).click();
  await page.locator('[data-testid=case-sync][data-state=pending]').waitFor();
  await page.locator('a[href="#/new"]').click();
  await fillRegistration(page, { date: todayInDhaka(), firstName: FIRST_NAME, age: '9' });
  await saveButton(page).click();
  await page.locator('#case-title', { hasText: FIRST_NAME }).waitFor();

  // The first request with mutations reaches the server, but its answer is dropped.
  const withMutations = [];
  let dropped = false;
  await page.route('**/api/v1/sync', async (route) => {
    const body = route.request().postDataBuffer();
    const mutations = body && route.request().headers()['content-encoding'] !== 'gzip' ? JSON.parse(body.toString()).mutations : null;
    if (mutations?.length) withMutations.push(mutations);
    if (!dropped && mutations?.length) {
      dropped = true;
      await route.fetch();
      await route.abort('connectionreset');
      return;
    }
    await route.continue();
  });
  await context.setOffline(false);
  await waitForSynced(page);

  assert.equal(withMutations.length, 2, 'the mutations were sent twice');
  assert.deepEqual(
    withMutations[1].map((mutation) => mutation.mutation_id),
    withMutations[0].map((mutation) => mutation.mutation_id),
    'the second send repeats the same mutation ids',
  );
  assert.deepEqual(withMutations[0].map((mutation) => mutation.kind), ['update', 'create']);

  const matches = (await serverCaseload(api)).filter((record) => record.data.name_first === FIRST_NAME);
  assert.equal(matches.length, 1, 'one case was registered');
  const changes = await api.get(`/cases/${caseId}/changes`);
  assert.equal(changes.filter((entry) => entry.path === 'name_nickname' && entry.new_value === NICKNAME).length, 1);
});
