// Casework in Chromium against the real demo server, with screenshots at 360×640 in Bangla and
// English: a caseworker's tasks, a request for approval made from the case and sent by the sync,
// a flag added on the case, the supervisor's approvals queue and approval, and the caseworker's
// notification of the decision. Each screenshot checks that nothing is wider than the screen and
// that every menu tab is on it. `SATHI_SCREENSHOTS_DIR=../docs/screenshots` keeps the files.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { captureScreen, CASEWORKER_PASSWORD, launchBrowser, openApp, screenshotDir, startServer, submitLogin, SUPERVISOR_PASSWORD, todayInDhaka } from './harness.mjs';
import { apiSession, serverCaseload, waitForSynced } from './sync-helpers.mjs';

const LOCALES = [
  { locale: 'bn', caseworker: 'cw.rahima', allSent: 'সব পরিবর্তন পাঠানো হয়েছে', approved: 'অনুমোদিত' },
  { locale: 'en', caseworker: 'cw.farzana', allSent: 'All changes sent', approved: 'Approved' },
];

const FLAG_TEXT = { bn: 'চাচার সাথে যোগাযোগ করবেন না', en: 'Do not contact the uncle' };

let server;
let outputDir;
let cleanupScreenshots = async () => undefined;

before(async () => {
  server = await startServer({ cases: 400 });
  ({ dir: outputDir, cleanup: cleanupScreenshots } = await screenshotDir('sathi-e2e-casework-'));
});

after(async () => {
  await server?.stop();
  await cleanupScreenshots();
});

async function capture(page, locale, name) {
  await captureScreen(page, outputDir, `${locale}-${name}`);
}

/** Completes the assessment of an open case of `username` through the API; returns the case id. */
async function caseWithCompletedAssessment(username) {
  const owner = await apiSession(server.baseUrl, username, CASEWORKER_PASSWORD);
  const record = (await serverCaseload(owner)).find(
    (entry) => entry.status === 'open' && !entry.data.assessment_completed_on && entry.data.registration_date,
  );
  assert.ok(record, `${username} has an open case without a completed assessment`);
  const login = await fetch(`${server.baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: CASEWORKER_PASSWORD, client: 'api' }),
  }).then((response) => response.json());
  const patch = await fetch(`${server.baseUrl}/api/v1/cases/${record.id}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${login.token}` },
    body: JSON.stringify({ changes: [{ path: 'assessment_completed_on', value: todayInDhaka() }] }),
  });
  assert.equal(patch.status, 200, await patch.text());
  return record.id;
}

for (const { locale, caseworker, allSent, approved } of LOCALES) {
  test(`casework screenshots in ${locale}`, { timeout: 240_000 }, async () => {
    const caseId = await caseWithCompletedAssessment(caseworker);

    // The caseworker starts on the task list and asks for approval of the assessment.
    const worker = await launchBrowser();
    try {
      const { page } = worker;
      await openApp(page, server.baseUrl);
      await submitLogin(page, caseworker, CASEWORKER_PASSWORD, locale);
      await page.locator('[data-testid=tasks]').waitFor({ timeout: 30_000 });
      await waitForSynced(page, allSent);
      await page.locator('[data-testid=task]').first().waitFor({ timeout: 30_000 });
      await capture(page, locale, 'tasks');

      await page.goto(`${server.baseUrl}/#/cases/${caseId}`);
      await page.locator('[data-testid=request-assessment]').click();
      await page.locator('[data-testid=request-send-assessment]').click();
      await page.locator('[data-testid=approval-line][data-status=pending]').waitFor({ timeout: 30_000 });
      await waitForSynced(page, allSent);
      const requests = await (await apiSession(server.baseUrl, caseworker, CASEWORKER_PASSWORD)).get(`/cases/${caseId}/approvals`);
      assert.deepEqual(
        requests.map((entry) => [entry.kind, entry.status]),
        [['assessment', 'pending']],
      );
      await capture(page, locale, 'case-approval-requested');

      // A flag added on the case comes back with the case from the server.
      await page.locator('[data-testid=flag-add-open]').click();
      await page.locator('[data-testid=flag-text]').fill(FLAG_TEXT[locale]);
      await page.locator('[data-testid=flag-add]').click();
      await page.locator('[data-testid=flag]', { hasText: FLAG_TEXT[locale] }).waitFor({ timeout: 30_000 });
      const flagged = await (await apiSession(server.baseUrl, caseworker, CASEWORKER_PASSWORD)).get(`/cases/${caseId}`);
      assert.deepEqual(
        flagged.flags.map((flag) => flag.text),
        [FLAG_TEXT[locale]],
      );
    } finally {
      await worker.stop();
    }

    // The supervisor sees the request in the queue and approves it.
    const supervisor = await launchBrowser();
    try {
      const { page } = supervisor;
      await openApp(page, server.baseUrl);
      await submitLogin(page, 'sup.karim', SUPERVISOR_PASSWORD, locale);
      await page.locator('[data-testid=tasks]').waitFor({ timeout: 30_000 });
      await waitForSynced(page, allSent);
      await page.locator('[data-testid=task][data-kind=approval]').first().waitFor({ timeout: 30_000 });
      await page.locator('[data-testid=approvals-link]').click();
      const card = page.locator(`[data-testid=approval]`, { has: page.locator(`a[href="#/cases/${caseId}"]`) });
      await card.waitFor();
      await capture(page, locale, 'approvals');
      await card.locator('[data-testid=approve]').click();
      await page.locator('[data-testid=approvals-notice]').waitFor();
      await capture(page, locale, 'approvals-decided');
    } finally {
      await supervisor.stop();
    }

    const owner = await apiSession(server.baseUrl, caseworker, CASEWORKER_PASSWORD);
    const history = await owner.get(`/cases/${caseId}/approvals`);
    assert.deepEqual(
      history.map((entry) => entry.status),
      ['approved'],
    );

    // The caseworker's notifications name the decision.
    const again = await launchBrowser();
    try {
      const { page } = again;
      await openApp(page, server.baseUrl);
      await submitLogin(page, caseworker, CASEWORKER_PASSWORD, locale);
      await page.locator('[data-testid=tasks]').waitFor({ timeout: 30_000 });
      await waitForSynced(page, allSent);
      await page.locator('[data-testid=nav-notifications] [data-testid=nav-count]').waitFor({ timeout: 30_000 });
      await page.locator('[data-testid=nav-notifications]').click();
      await page.locator('[data-testid=notification][data-read=false]').first().waitFor();
      await capture(page, locale, 'notifications');

      await page.goto(`${server.baseUrl}/#/cases/${caseId}`);
      await page.locator('[data-testid=approval-line][data-status=approved]', { hasText: approved }).waitFor({ timeout: 30_000 });
    } finally {
      await again.stop();
    }
  });
}
