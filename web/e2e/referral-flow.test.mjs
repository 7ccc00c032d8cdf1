// A referral from start to end against the real demo server in Chromium: the caseworker is
// stopped by the consent rule, records consent, and refers a case to Nabil at Lanternlight for
// psychosocial support. Nabil receives it in Bangla, accepts, reads only the shared forms, marks it
// done, and the case leaves his phone. A second referral made offline waits on the case and is
// sent when the phone is online again.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apiClient, CASEWORKER_PASSWORD, loginAndWaitForCases, logOut, openApp, PROVIDER_PASSWORD, saveButton, submitLogin, withServerAndBrowser } from './harness.mjs';
import { waitUntil } from './sync-helpers.mjs';

const CASEWORKER = 'cw.rahima';
const PROVIDER = 'sp.nabil';

const setup = withServerAndBrowser();

/** Waits until the sync bar shows that every change reached the server. */
async function waitAllSent(page, text) {
  await page.locator('[data-testid=pending]', { hasText: text }).waitFor({ timeout: 30_000 });
}

test('referral from consent to done', { timeout: 240_000 }, async () => {
  const { page, context } = setup.browser;
  const base = setup.server.baseUrl;
  await openApp(page, base);

  // Rahima opens one of her open cases without recorded consent and requests to refer it.
  await loginAndWaitForCases(page, CASEWORKER, CASEWORKER_PASSWORD, 'en');
  const api = await apiClient(base, CASEWORKER, CASEWORKER_PASSWORD);
  const { cases } = await api.get('/caseload?limit=200');
  const before = cases.find((record) => record.status === 'open' && record.data.consent_for_sharing !== true);
  assert.ok(before, `${CASEWORKER} has an open case without consent for sharing`);
  const caseId = before.id;
  const displayId = before.display_id;
  await page.goto(`${base}/#/cases/${caseId}`);
  await page.locator('[data-testid=refer-open]').click();
  await page.locator('[data-testid=refer-service]').selectOption('psychosocial_support');
  await page.locator('[data-testid=refer-agency][data-agency-id=lli]').click();

  // Without recorded consent she is sent to the consent form first.
  await page.locator('[data-testid=consent-blocked]').waitFor();
  assert.equal(await page.locator('[data-testid=refer-submit]').isDisabled(), true);
  await page.locator('[data-testid=consent-blocked] a').click();
  await page.locator('#f-consent_for_sharing').check();
  await saveButton(page).click();
  // The form returns to the case view once saved, and the sync then sends the consent to the server.
  await page.waitForURL(new RegExp(`#/cases/${caseId}/consent$`));
  await waitUntil(async () => (await api.get(`/cases/${caseId}`)).data.consent_for_sharing === true, 'consent reached the server');
  await page.goto(`${base}/#/cases/${caseId}/refer`);
  await page.locator('[data-testid=refer-service]').selectOption('psychosocial_support');
  await page.locator('[data-testid=refer-agency][data-agency-id=lli]').click();
  await page.locator('[data-testid=consent-notice][data-rule=given]').waitFor();
  await page.locator('[data-testid=refer-user]').first().waitFor();
  await page.locator('label', { hasText: 'Nabil Hasan' }).click();
  await page.locator('#refer-note').fill('Nightmares since the fire; please see her this week.');
  await page.locator('[data-testid=refer-submit]').click();
  await page.locator('[data-testid=refer-outcome][data-outcome=sent]').waitFor();

  const sent = await api.get(`/cases/${caseId}/referrals`);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].status, 'pending');
  assert.equal(sent[0].to_agency_id, 'lli');
  assert.equal(sent[0].service_type, 'psychosocial_support');
  assert.equal(sent[0].consent_basis, 'given');
  assert.deepEqual(sent[0].shared_forms.filter((form) => form !== 'record_owner').sort(), ['basic_identity', 'consent', 'protection_concerns', 'services']);
  const referralId = sent[0].id;

  // The case's Sharing section lists it as waiting for a response.
  await page.goto(`${base}/#/cases/${caseId}`);
  await page.locator(`[data-testid=case-sharing] [data-referral-id="${referralId}"] [data-status=pending]`).waitFor();
  await logOut(page);

  // Nabil reads Bangla: the referral waits in his incoming list.
  await submitLogin(page, PROVIDER, PROVIDER_PASSWORD, 'bn');
  await page.locator('[data-testid=nav-referrals]').click({ timeout: 30_000 });
  const item = page.locator(`[data-testid=referral][data-referral-id="${referralId}"]`);
  await item.waitFor({ timeout: 30_000 });
  assert.match(await item.innerText(), /উত্তরের অপেক্ষায়/);
  assert.match(await item.innerText(), new RegExp(displayId));
  await item.click();
  await page.locator('[data-testid=referral-accept]').click();
  await page.locator('[data-testid=referral-confirm-yes]').click();
  await page.locator('[data-testid=referral-message]', { hasText: 'এই রেফারেলের অবস্থা এখন: গৃহীত।' }).waitFor();

  // The accepted case arrives with the sync. Forms outside the referral show that they were not shared.
  await page.locator('[data-testid=referral-case]').waitFor({ timeout: 30_000 });
  await page.goto(`${base}/#/cases/${caseId}/family_details`);
  await page.locator('[data-testid=form-empty]', { hasText: 'এই ফর্মটি আপনার সাথে শেয়ার করা হয়নি' }).waitFor({ timeout: 30_000 });
  const providerApi = await apiClient(base, PROVIDER, PROVIDER_PASSWORD);
  const shown = await providerApi.get(`/cases/${caseId}`);
  assert.equal(shown.data.family_members, undefined, 'the server sends no unshared form');

  // Done: his access ends at once and the case leaves his phone at the next sync.
  await page.goto(`${base}/#/referrals/${referralId}`);
  await page.locator('[data-testid=referral-done]').click();
  await page.locator('[data-testid=referral-text]').fill('ছয়টি দলীয় সেশন');
  await page.locator('[data-testid=referral-confirm-yes]').click();
  await page.locator('[data-testid=referral-detail][data-status=done]').waitFor();
  await page.goto(`${base}/#/cases/${caseId}`);
  await page.locator('[data-testid=case-not-found]').waitFor({ timeout: 30_000 });
  await assert.rejects(providerApi.get(`/cases/${caseId}`), /404/);
  const closed = await api.get(`/cases/${caseId}/referrals`);
  assert.equal(closed[0].status, 'done');
  await logOut(page);

  // Offline, Rahima's next referral of the same case waits on the phone, then goes with the sync.
  await loginAndWaitForCases(page, CASEWORKER, CASEWORKER_PASSWORD, 'en');
  await waitAllSent(page, 'All changes sent');
  await context.setOffline(true);
  await page.locator('[data-testid=connection]', { hasText: 'Offline' }).waitFor();
  await page.goto(`${base}/#/cases/${caseId}/refer`);
  await page.locator('[data-testid=refer-service]').selectOption('legal');
  await page.locator('[data-testid=refer-agency][data-agency-id=aalt]').click();
  await page.locator('[data-testid=refer-submit]', { hasText: 'Save, send when online' }).click();
  await page.locator('[data-testid=refer-outcome][data-outcome=queued]').waitFor();
  await page.goto(`${base}/#/cases/${caseId}`);
  await page.locator('[data-testid=queued-action][data-state=pending]', { hasText: 'Waiting to send' }).waitFor();
  await context.setOffline(false);
  await page.locator('[data-testid=queued-action]').waitFor({ state: 'detached', timeout: 60_000 });
  const after = await api.get(`/cases/${caseId}/referrals`);
  const legal = after.filter((referral) => referral.service_type === 'legal');
  assert.equal(legal.length, 1);
  assert.equal(legal[0].to_agency_id, 'aalt');
  assert.equal(legal[0].status, 'pending');
});

test('transfer inside the agency', { timeout: 180_000 }, async () => {
  const { page } = setup.browser;
  const base = setup.server.baseUrl;
  await page.goto(`${base}/#/settings`);
  await logOut(page);

  // Rahima offers one of her cases to her own agency, where consent is not needed.
  await loginAndWaitForCases(page, CASEWORKER, CASEWORKER_PASSWORD, 'en');
  const api = await apiClient(base, CASEWORKER, CASEWORKER_PASSWORD);
  const { cases } = await api.get('/caseload?limit=200');
  const open = cases.filter((record) => record.status === 'open');
  const record = open[open.length - 1];
  await page.goto(`${base}/#/cases/${record.id}`);
  await page.locator('[data-testid=transfer-open]').click();
  await page.locator('[data-testid=transfer-agency]').selectOption('bcri');
  await page.locator('[data-testid=consent-notice][data-rule=internal]').waitFor();
  await page.locator('#transfer-note').fill('Shirin works in this camp every day.');
  await page.locator('[data-testid=transfer-submit]').click();
  await page.locator('[data-testid=transfer-outcome][data-outcome=sent]').waitFor();
  const [pending] = await api.get(`/cases/${record.id}/transfers`);
  assert.equal(pending.status, 'pending');
  assert.equal(pending.to_agency_id, 'bcri');
  assert.equal(pending.to_user, null);

  // A second transfer while this one waits is rejected with the server's message.
  await page.locator('[data-testid=transfer-outcome] a').click();
  await page.locator('[data-testid=transfer-open]').click();
  await page.locator('[data-testid=transfer-agency]').selectOption('bcri');
  await page.locator('[data-testid=transfer-submit]').click();
  await page.locator('[data-testid=transfer-error]').waitFor();
  assert.match(await page.locator('[data-testid=transfer-error]').innerText(), new RegExp(pending.id));
  await logOut(page);

  // Shirin of the same agency accepts in Bangla, so the case is hers and leaves Rahima's caseload.
  await submitLogin(page, 'cw.shirin', CASEWORKER_PASSWORD, 'bn');
  await page.locator('[data-testid=nav-cases]').waitFor({ timeout: 30_000 });
  await page.goto(`${base}/#/transfers/${pending.id}`);
  await page.locator('[data-testid=transfer-accept]').click();
  await page.locator('[data-testid=transfer-confirm-yes]').click();
  await page.locator('[data-testid=transfer-message]', { hasText: 'এই হস্তান্তরের অবস্থা এখন: গৃহীত।' }).waitFor();
  const shirinApi = await apiClient(base, 'cw.shirin', CASEWORKER_PASSWORD);
  const moved = await shirinApi.get(`/cases/${record.id}`);
  const [accepted] = await shirinApi.get(`/cases/${record.id}/transfers`);
  assert.equal(accepted.status, 'accepted');
  assert.equal(moved.owner_id, accepted.to_user.id);
  await page.goto(`${base}/#/cases/${record.id}`);
  await page.locator('#case-title').waitFor({ timeout: 30_000 });
  await assert.rejects(api.get(`/cases/${record.id}`), /404/);
});
