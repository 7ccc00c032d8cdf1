// Screenshots of the sync screens at 360×640 in Bangla and English: the conflict panel, the
// conflicts inbox, a disputed field, the case history, the sync bar when the server does not
// answer and with a change waiting offline, and a supervisor's menu
// and reassignment card. Each checks that every menu tab is on screen. The conflict is made
// through the API: a supervisor changes a nickname, then the owner's device sends another value
// made on the earlier version. `SATHI_SCREENSHOTS_DIR=../docs/screenshots` keeps the files.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { CASEWORKER_PASSWORD, launchBrowser, loginAndWaitForCases, openApp, saveButton, startServer, SUPERVISOR_PASSWORD } from './harness.mjs';
import { apiSession, serverCaseload, waitForSynced } from './sync-helpers.mjs';

const LOCALES = [
  {
    locale: 'bn',
    user: 'cw.rahima',
    allSent: 'সব পরিবর্তন পাঠানো হয়েছে',
    unreachable: 'সার্ভারে পৌঁছানো যায়নি',
    values: ['মনি', 'মুনা'],
    one: '১',
  },
  { locale: 'en', user: 'cw.farzana', allSent: 'All changes sent', unreachable: 'Could not reach the server', values: ['Moni', 'Muna'], one: '1' },
];

let server;
let outputDir;
let temporaryDir = null;

before(async () => {
  server = await startServer({ cases: 400 });
  if (process.env.SATHI_SCREENSHOTS_DIR) {
    outputDir = path.resolve(process.env.SATHI_SCREENSHOTS_DIR);
    await mkdir(outputDir, { recursive: true });
  } else {
    temporaryDir = await mkdtemp(path.join(os.tmpdir(), 'sathi-e2e-sync-screenshots-'));
    outputDir = temporaryDir;
  }
});

after(async () => {
  await server?.stop();
  if (temporaryDir) await rm(temporaryDir, { recursive: true, force: true });
});

async function capture(page, locale, name) {
  await page.evaluate(() => document.fonts.ready);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${locale}-${name} is ${overflow} px wider than the viewport`);
  await page.screenshot({ path: path.join(outputDir, `${locale}-${name}.png`) });
}

/** Opens a conflict on the nickname of an open case of `username`; returns the case id. */
async function makeConflict(username, [ownerValue, supervisorValue]) {
  const owner = await apiSession(server.baseUrl, username, CASEWORKER_PASSWORD);
  const supervisor = await apiSession(server.baseUrl, 'sup.karim', SUPERVISOR_PASSWORD);
  const record = (await serverCaseload(owner)).find((entry) => entry.status === 'open');
  const token = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'sup.karim', password: SUPERVISOR_PASSWORD, client: 'api' }),
  }).then((response) => response.json());
  const patch = await fetch(`${server.baseUrl}/api/v1/cases/${record.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token.token}` },
    body: JSON.stringify({ changes: [{ path: 'name_nickname', value: supervisorValue }] }),
  });
  assert.equal(patch.status, 200, await patch.text());
  void supervisor;
  const answer = await owner.post('/sync', {
    device_id: randomUUID(),
    cursor: null,
    config_version: null,
    scope_digest: null,
    limit: 1,
    mutations: [
      {
        mutation_id: randomUUID(),
        seq: 1,
        record_id: record.id,
        kind: 'update',
        base_version: record.version,
        changes: [{ path: 'name_nickname', value: ownerValue }],
        device_time: '2024-05-10T10:00:00+06:00',
      },
    ],
  });
  assert.equal(answer.results[0].status, 'conflict');
  return record.id;
}

/** Checks that every tab of the main menu is inside the viewport, so none needs scrolling. */
async function assertMenuVisible(page, locale, name) {
  const outside = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=main-nav] a')]
      .filter((link) => {
        const box = link.getBoundingClientRect();
        return box.left < 0 || box.right > window.innerWidth || box.bottom > window.innerHeight || box.width < 44;
      })
      .map((link) => link.getAttribute('href')),
  );
  assert.deepEqual(outside, [], `${locale}-${name}: menu entries outside the screen or narrower than 44 px`);
}

for (const { locale, user, allSent, unreachable, values, one } of LOCALES) {
  test(`sync screenshots in ${locale}`, { timeout: 180_000 }, async () => {
    const caseId = await makeConflict(user, values);
    const browser = await launchBrowser();
    try {
      const { page, context } = browser;
      await openApp(page, server.baseUrl);
      await loginAndWaitForCases(page, user, CASEWORKER_PASSWORD, locale);
      await page.locator('[data-testid=pending]', { hasText: allSent }).waitFor({ timeout: 30_000 });
      await waitForSynced(page, allSent);

      await page.goto(`${server.baseUrl}/#/cases/${caseId}`);
      const conflict = page.locator('[data-testid=conflict]');
      await conflict.waitFor();
      // The menu counts the open conflict and shows every destination.
      assert.equal(await page.locator('[data-testid=nav-conflicts] [data-testid=nav-count]').innerText(), one);
      await assertMenuVisible(page, locale, 'conflict-panel');
      await conflict.scrollIntoViewIfNeeded();
      await capture(page, locale, 'conflict-panel');

      // The field itself points up to the conflict card.
      const disputed = page.locator('[data-testid=disputed]');
      assert.equal(await disputed.count(), 1);
      await disputed.scrollIntoViewIfNeeded();
      await capture(page, locale, 'disputed-field');

      await page.locator('a[href="#/conflicts"]').click();
      await page.locator('[data-testid=conflicts-count]').waitFor();
      await capture(page, locale, 'conflicts-inbox');

      await page.goto(`${server.baseUrl}/#/cases/${caseId}/history`);
      await page.locator('[data-testid=history-entry]').first().waitFor();
      await capture(page, locale, 'case-history');

      // A request that gets no answer while the browser is online is not "offline".
      await page.route('**/api/v1/sync', (route) => route.abort('connectionrefused'));
      await page.locator('[data-testid=sync-bar] button').click();
      await page.locator('[data-testid=connection]', { hasText: unreachable }).waitFor({ timeout: 30_000 });
      await capture(page, locale, 'sync-bar-unreachable');
      await page.unroute('**/api/v1/sync');

      await context.setOffline(true);
      await page.goto(`${server.baseUrl}/#/cases/${caseId}/edit/basic_identity`);
      await page.locator('#f-name_other_spellings').fill(values[0]);
      await saveButton(page).click();
      await page.locator('#case-title').waitFor();
      await page.locator('[data-testid=pending].pending').waitFor();
      await page.locator('a[href="#/cases"]').first().click();
      await page.locator('[data-testid=case-list]').waitFor();
      await capture(page, locale, 'sync-bar-offline');
    } finally {
      await browser.stop();
    }
  });

  test(`supervisor menu in ${locale}`, { timeout: 180_000 }, async () => {
    const browser = await launchBrowser();
    try {
      const { page } = browser;
      await openApp(page, server.baseUrl);
      await loginAndWaitForCases(page, 'sup.karim', SUPERVISOR_PASSWORD, locale);
      await waitForSynced(page, allSent);
      // A supervisor registers no children: tasks, dashboard, cases, conflicts, kept aside, alerts
      // and settings.
      assert.equal(await page.locator('[data-testid=main-nav] a').count(), 7);
      await page.locator('[data-testid=nav-review]').click();
      await page.locator('#review-title').waitFor();
      await assertMenuVisible(page, locale, 'supervisor-review');
      await capture(page, locale, 'supervisor-review');

      // The reassignment card lists the agency's caseworkers by name and user name.
      await page.locator('[data-testid=nav-cases]').click();
      await page.locator('[data-testid=case-list] li a').first().click();
      await page.locator('[data-testid=reassign-open]').click();
      await page.locator('[data-testid=reassign-user]').first().waitFor();
      await page.locator('[data-testid=reassign]').scrollIntoViewIfNeeded();
      await capture(page, locale, 'reassign');
    } finally {
      await browser.stop();
    }
  });
}
