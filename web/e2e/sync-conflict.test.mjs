// Two devices of two users of one agency edit the same case offline: the caseworker who owns it
// and their supervisor. They change one field to different values and one field each. After both
// reconnect the different fields are merged, the owner sees the conflict and keeps a value in the
// case view, and the supervisor sees it in the case history, labelled as a resolution. Then the
// supervisor reassigns another case of the caseworker, picked by user name from the agency's
// list, and the case leaves the caseworker's phone at its next sync.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CASEWORKER_PASSWORD,
  launchBrowser,
  loginAndWaitForCases,
  openApp,
  saveButton,
  SUPERVISOR_PASSWORD,
  withServerAndBrowser,
} from './harness.mjs';
import { apiSession, serverCaseload, syncAndWait, waitForSynced } from './sync-helpers.mjs';

/** BCRI's caseworkers, all in sup.karim's group in the demo. */
const CASEWORKERS = ['cw.rahima', 'cw.shirin', 'cw.mahmud', 'cw.farzana'];
const SUPERVISOR = 'sup.karim';
const OWNER_NICKNAME = 'Moni-owner';
const SUPERVISOR_NICKNAME = 'Mona-supervisor';
const OWNER_PHONE = '01711000111';
const SUPERVISOR_SPELLING = 'Munni-spelling';

// Enough demo cases that each BCRI caseworker owns several open ones.
const setup = withServerAndBrowser({ cases: 400 });

/** Opens the basic identity form of case `id`, fills `values` (field id to text) and saves. */
async function editOffline(page, baseUrl, id, values) {
  await page.goto(`${baseUrl}/#/cases/${id}/edit/basic_identity`);
  for (const [field, value] of Object.entries(values)) await page.locator(`#f-${field}`).fill(value);
  await saveButton(page).click();
  await page.locator('[data-testid=case-sync][data-state=pending]').waitFor();
}

test('same case edited on two devices', { timeout: 300_000 }, async () => {
  const { baseUrl } = setup.server;
  const owner = setup.browser;
  const supervisor = await launchBrowser();
  try {
    const supervisorApi = await apiSession(baseUrl, SUPERVISOR, SUPERVISOR_PASSWORD);
    const supervised = await serverCaseload(supervisorApi);
    const ids = [];
    for (const username of CASEWORKERS) ids.push((await (await apiSession(baseUrl, username, CASEWORKER_PASSWORD)).get('/me')).user.id);
    const openOf = (id) => supervised.filter((record) => record.owner_id === id && record.status === 'open');
    const index = ids.findIndex((id) => openOf(id).length >= 2);
    assert.ok(index >= 0, `${SUPERVISOR} sees at least two open cases of one of ${CASEWORKERS.join(', ')}`);
    const CASEWORKER = CASEWORKERS[index];
    const ownerApi = await apiSession(baseUrl, CASEWORKER, CASEWORKER_PASSWORD);
    const otherId = ids[(index + 1) % ids.length];
    const otherUsername = CASEWORKERS[(index + 1) % ids.length];
    const shared = openOf(ids[index]);
    const [target, toReassign] = shared;

    // Both devices download their caseloads, then lose the network.
    await openApp(owner.page, baseUrl);
    await loginAndWaitForCases(owner.page, CASEWORKER, CASEWORKER_PASSWORD, 'en');
    await waitForSynced(owner.page);
    await openApp(supervisor.page, baseUrl);
    await loginAndWaitForCases(supervisor.page, SUPERVISOR, SUPERVISOR_PASSWORD, 'en');
    await waitForSynced(supervisor.page);
    await owner.context.setOffline(true);
    await supervisor.context.setOffline(true);

    // Offline: both change the nickname, each changes one other field.
    await editOffline(owner.page, baseUrl, target.id, { name_nickname: OWNER_NICKNAME, phone: OWNER_PHONE });
    await editOffline(supervisor.page, baseUrl, target.id, { name_nickname: SUPERVISOR_NICKNAME, name_other_spellings: SUPERVISOR_SPELLING });

    // The supervisor reconnects first, then the owner.
    await supervisor.context.setOffline(false);
    await syncAndWait(supervisor.page);
    await waitForSynced(supervisor.page);
    await owner.context.setOffline(false);
    await syncAndWait(owner.page);
    await waitForSynced(owner.page);

    // The different fields merged; the nickname kept the supervisor's value and a conflict.
    const merged = await ownerApi.get(`/cases/${target.id}`);
    assert.equal(merged.data.phone, OWNER_PHONE);
    assert.equal(merged.data.name_other_spellings, SUPERVISOR_SPELLING);
    assert.equal(merged.data.name_nickname, SUPERVISOR_NICKNAME);

    // The owner sees the conflict on the case and keeps their own value.
    await owner.page.goto(`${baseUrl}/#/cases/${target.id}`);
    const conflict = owner.page.locator('[data-testid=conflict][data-path=name_nickname]');
    await conflict.waitFor();
    await owner.page.locator('[data-testid=case-sync][data-state=conflict]').waitFor();
    const candidates = conflict.locator('[data-testid=candidate]');
    assert.equal(await candidates.count(), 2);
    const texts = await candidates.allInnerTexts();
    // Both values are named by their authors' full names; the owner's is marked as theirs and the
    // supervisor's as the one the case holds.
    const ownerName = (await ownerApi.get('/me')).user.full_name;
    const supervisorName = (await supervisorApi.get('/me')).user.full_name;
    assert.ok(texts.some((text) => text.includes(OWNER_NICKNAME) && text.includes(`By ${ownerName}`) && text.includes('Your value')), texts.join(' | '));
    assert.ok(
      texts.some((text) => text.includes(SUPERVISOR_NICKNAME) && text.includes(`By ${supervisorName}`) && text.includes('Current value in the case')),
      texts.join(' | '),
    );
    await candidates.filter({ hasText: OWNER_NICKNAME }).locator('button').click();
    await conflict.waitFor({ state: 'detached' });
    await owner.page.locator('[data-testid=case-sync][data-state=synced]').waitFor();
    assert.equal((await ownerApi.get(`/cases/${target.id}`)).data.name_nickname, OWNER_NICKNAME);
    assert.deepEqual((await ownerApi.get('/conflicts')).filter((item) => item.case_id === target.id), []);

    // The supervisor sees the resolution in the case history.
    await supervisor.page.goto(`${baseUrl}/#/cases/${target.id}/history`);
    const resolution = supervisor.page.locator('[data-testid=history-entry][data-path=name_nickname]', { hasText: OWNER_NICKNAME }).first();
    await resolution.waitFor();
    assert.match(await resolution.innerText(), new RegExp(`${SUPERVISOR_NICKNAME}[\\s\\S]*${OWNER_NICKNAME}`));
    assert.ok((await resolution.innerText()).includes(ownerName), 'the resolution does not name the owner');
    assert.equal(await resolution.locator('[data-testid=history-resolution]').innerText(), `Conflict resolved: kept ${OWNER_NICKNAME}`);

    // The supervisor reassigns another case of the caseworker; it leaves the caseworker's phone.
    await owner.page.goto(`${baseUrl}/#/cases/${toReassign.id}`);
    await owner.page.locator('#case-title').waitFor();
    await supervisor.page.goto(`${baseUrl}/#/cases/${toReassign.id}`);
    await supervisor.page.locator('[data-testid=reassign-open]').click();
    // The supervisor picks the caseworker by user name from the agency's list.
    const choice = supervisor.page.locator('[data-testid=reassign-user]', { hasText: otherUsername });
    await choice.waitFor();
    assert.equal(await choice.getAttribute('data-user-id'), otherId);
    assert.equal(await supervisor.page.locator(`[data-testid=reassign-user][data-user-id="${toReassign.owner_id}"]`).count(), 0);
    await choice.click();
    await supervisor.page.locator('[data-testid=reassign-submit]').click();
    await supervisor.page.locator('.notice.ok').waitFor();
    assert.equal((await supervisorApi.get(`/cases/${toReassign.id}`)).owner_id, otherId);

    await syncAndWait(owner.page);
    await owner.page.locator('#case-title').waitFor({ state: 'detached' });
    await owner.page.goto(`${baseUrl}/#/cases`);
    await owner.page.goto(`${baseUrl}/#/cases/${toReassign.id}`);
    await owner.page.locator('main .card', { hasText: 'This case is not on this phone.' }).waitFor();
  } finally {
    await supervisor.stop();
  }
});
