// Dashboards and reports in Chromium against the demo server, one role at a time:
//
// 1. The caseworker cw.rahima (Bangla): every figure of her dashboard opens a list with exactly
//    that many rows, and with the network off the dashboard shows the same numbers.
// 2. The supervisor sup.karim: the same for his team's figures, the approvals and the tasks of
//    each caseworker.
// 3. The manager admin.mizan: the figures come from the server and open the server's case list,
//    whose total equals each figure.
// 4. The information management officer imo.nasrin: no child's name anywhere, small numbers
//    suppressed with a legend, each figure opens its table by agency, the monthly report
//    downloads as an XLSX file, and a table across agencies downloads as CSV with hidden counts.
//
// Screenshots of a 360 × 740 phone, in English and Bangla, go to $SATHI_SCREENSHOTS_DIR when
// set, else to a temporary folder.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import {
  captureScreen,
  CASEWORKER_PASSWORD,
  launchBrowser,
  loginAndWaitForCases,
  openApp,
  screenshotDir,
  startServer,
  submitLogin,
  SUPERVISOR_PASSWORD,
} from './harness.mjs';
import { apiSession, waitForSynced } from './sync-helpers.mjs';

const MANAGER_PASSWORD = 'demo-agency-admin';
const IMO_PASSWORD = 'demo-im-officer';
const PHONE = { width: 360, height: 740 };
/** Rows the local case list renders at most, and the server list's page size. */
const LOCAL_MAX_ROWS = 200;
const SERVER_PAGE_ROWS = 50;
/** Bound for a list or dashboard to show its rows, in milliseconds. */
const LIST_TIMEOUT_MS = 20_000;

let server;
let shots;

before(async () => {
  server = await startServer();
  shots = await screenshotDir('sathi-e2e-dashboard-');
});

after(async () => {
  await server?.stop();
  await shots?.cleanup();
});

/** Opens a phone-sized browser and logs in; `cases` waits for the case list first. */
async function signIn(username, password, locale, { cases = true } = {}) {
  const browser = await launchBrowser();
  await browser.page.setViewportSize(PHONE);
  await openApp(browser.page, server.baseUrl);
  if (cases) {
    await loginAndWaitForCases(browser.page, username, password, locale);
  } else {
    await submitLogin(browser.page, username, password, locale);
  }
  return browser;
}

/** Opens the dashboard from the menu and waits for its panels. */
async function openDashboard(page) {
  await page.locator('[data-testid=nav-dashboard]').click();
  await page.locator('[data-testid=dashboard] .dash-panel').first().waitFor({ timeout: LIST_TIMEOUT_MS });
}

/** Returns every figure link of the dashboard: its route, key and value. */
function figureLinks(page) {
  return page.locator('[data-testid=dashboard] a[data-testid=figure]').evaluateAll((links) =>
    links.map((link) => ({
      href: link.getAttribute('href'),
      key: link.dataset.key,
      value: link.dataset.value === '' ? null : Number(link.dataset.value),
      suppressed: link.dataset.suppressed === 'true',
    })),
  );
}

/** Waits until `selector` matches exactly `count` elements. */
async function waitForCount(page, selector, count, what) {
  try {
    await page.waitForFunction(([css, expected]) => document.querySelectorAll(css).length === expected, [selector, count], { timeout: LIST_TIMEOUT_MS });
  } catch {
    const shown = await page.locator(selector).count();
    assert.fail(`${what}: ${shown} rows shown, expected ${count}`);
  }
}

/** Reads the `data-count` of the count badge `testId` once it shows. */
async function countOf(page, testId) {
  const badge = page.locator(`[data-testid=${testId}]`);
  await badge.waitFor({ timeout: LIST_TIMEOUT_MS });
  return Number(await badge.getAttribute('data-count'));
}

/**
 * Clicks the figure linking to `href` and asserts that the list it opens counts `value` and
 * shows that many rows (up to the rows a list renders at once), then goes back.
 */
async function followFigure(page, { href, key, value, suppressed }) {
  await page.locator(`[data-testid=dashboard] a[data-testid=figure][href="${href}"]`).first().click();
  if (href.startsWith('#/cases')) {
    assert.equal(await countOf(page, 'cases-count'), value, `case count behind ${href}`);
    const shown = Math.min(value, href.includes('source=server') ? SERVER_PAGE_ROWS : LOCAL_MAX_ROWS);
    await waitForCount(page, '[data-testid=case-list] > li', shown, href);
  } else if (href.startsWith('#/tasks')) {
    assert.equal(await countOf(page, 'tasks-count'), value, `task count behind ${href}`);
    await waitForCount(page, '[data-testid=task]', value, href);
  } else if (href.startsWith('#/referrals')) {
    assert.equal(await countOf(page, 'referrals-count'), value, `count behind ${href}`);
    await waitForCount(page, '[data-testid=referrals] .pick-list > li', value, href);
  } else if (href.startsWith('#/referral-list')) {
    assert.equal(await countOf(page, 'referrals-count'), value, `referral count behind ${href}`);
    await waitForCount(page, '[data-testid=referral-list] .pick-list > li', value, href);
  } else if (href === '#/approvals') {
    await waitForCount(page, '[data-testid=approval]:has([data-testid=approve])', value, href);
  } else if (href.startsWith('#/dashboard/')) {
    // The table by agency: the row of the figure's key totals to the figure, suppressed alike.
    // A panel of one figure shows its agencies as rows, with the figure as the table's total.
    await page.locator('[data-testid=pivot]').waitFor({ timeout: LIST_TIMEOUT_MS });
    const row = page.locator(`[data-testid=pivot] tbody tr.marked[data-key="${key}"] td.total`);
    const total = (await row.count()) > 0 ? row : page.locator('[data-testid=pivot] tfoot td.total');
    assert.equal(await total.getAttribute('data-suppressed'), suppressed ? 'true' : null, `suppression behind ${href}`);
    if (value !== null) assert.equal(Number(await total.getAttribute('data-value')), value, `row total behind ${href}`);
  } else {
    assert.fail(`no check for the list ${href}`);
  }
  await page.goBack();
  await page.locator('[data-testid=dashboard] .dash-panel').first().waitFor();
}

/** Changes the app's language in Settings, then returns to the dashboard. */
async function switchLanguage(page, code) {
  await page.locator('[data-testid=nav-settings]').click();
  await page.locator('#settings-language').selectOption(code);
  await openDashboard(page);
}

/** Saves the dashboard's first screen once its charts are drawn. */
async function dashboardShots(page, name) {
  await page.evaluate(() => window.scrollTo(0, 0));
  // The charts draw after Chart.js has loaded.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=figure-chart] canvas')].every((canvas) => canvas.dataset.drawn === 'true'));
  await captureScreen(page, shots.dir, name);
}

test('caseworker figures equal their lists, offline too', { timeout: 300_000 }, async () => {
  const { page, context, stop } = await signIn('cw.rahima', CASEWORKER_PASSWORD, 'bn');
  try {
    await waitForSynced(page, 'সব পরিবর্তন পাঠানো হয়েছে');
    // Chart.js is fetched by the page only when a chart is drawn.
    const chartsFetched = () => page.evaluate(() => performance.getEntriesByType('resource').some((entry) => /\/assets\/charts-[^/]*\.js$/.test(entry.name)));
    assert.equal(await chartsFetched(), false, 'Chart.js loaded before the dashboard');
    await openDashboard(page);
    assert.equal(await page.locator('[data-testid=dashboard]').getAttribute('data-kind'), 'caseworker');
    await page.locator('[data-testid=figure-chart] canvas[data-drawn=true]').first().waitFor();
    assert.equal(await chartsFetched(), true, 'Chart.js loaded for the dashboard');
    const figures = await figureLinks(page);
    assert.ok(figures.length >= 10, `caseworker figures: ${figures.length}`);
    assert.ok(figures.some((figure) => figure.value > 0), 'some figure is above zero');
    // Bangla readers see Bengali digits only.
    assert.doesNotMatch(await page.locator('[data-testid=panel-my_open_total]').innerText(), /[0-9]/);
    await dashboardShots(page, 'bn-dashboard-caseworker');

    for (const figure of figures) await followFigure(page, figure);

    // A list opened from a figure names its filters.
    const high = figures.find((figure) => figure.href.includes('risk_level=high'));
    await page.locator(`a[data-testid=figure][href="${high.href}"]`).click();
    await page.locator('[data-testid=filter-chips]').waitFor();
    await captureScreen(page, shots.dir, 'bn-case-list-filtered');
    await page.goBack();

    await switchLanguage(page, 'en');
    await dashboardShots(page, 'en-dashboard-caseworker');
    await switchLanguage(page, 'bn');

    // Offline: the app opens from the service worker, the vault unlocks with the password, and
    // the dashboard counts the same cases.
    await context.setOffline(true);
    await page.reload();
    await page.locator('#login-username').waitFor();
    await loginAndWaitForCases(page, 'cw.rahima', CASEWORKER_PASSWORD);
    await page.locator('[data-testid=connection]', { hasText: 'অফলাইন' }).waitFor();
    await openDashboard(page);
    assert.deepEqual(await figureLinks(page), figures);
    await page.locator('[data-testid=figure-chart] canvas[data-drawn=true]').first().waitFor();
  } finally {
    await stop();
  }
});

test('supervisor figures equal their lists', { timeout: 300_000 }, async () => {
  const { page, stop } = await signIn('sup.karim', SUPERVISOR_PASSWORD, 'en');
  try {
    await waitForSynced(page);
    await openDashboard(page);
    assert.equal(await page.locator('[data-testid=dashboard]').getAttribute('data-kind'), 'supervisor');
    const figures = await figureLinks(page);
    const owners = figures.filter((figure) => figure.href.startsWith('#/cases?status=open&owner='));
    assert.ok(owners.length >= 2, `team members with open cases: ${owners.length}`);
    // Every caseworker is named, none is unknown, once the names have come from the server.
    await page.waitForFunction(() => ![...document.querySelectorAll('[data-testid=panel-team_open_by_owner] tbody th')].some((cell) => cell.textContent.includes('not on this phone')));
    const ownerNames = await page.locator('[data-testid=panel-team_open_by_owner] tbody th').allInnerTexts();
    assert.ok(ownerNames.every((name) => name.trim() !== '' && !name.includes('not on this phone')), ownerNames.join(', '));
    await dashboardShots(page, 'en-dashboard-supervisor');

    for (const figure of figures) await followFigure(page, figure);

    await switchLanguage(page, 'bn');
    await dashboardShots(page, 'bn-dashboard-supervisor');
  } finally {
    await stop();
  }
});

test('manager figures equal the server lists', { timeout: 420_000 }, async () => {
  const { page, stop } = await signIn('admin.mizan', MANAGER_PASSWORD, 'en', { cases: false });
  try {
    // A manager starts on the dashboard.
    await page.locator('[data-testid=dashboard] .dash-panel').first().waitFor({ timeout: LIST_TIMEOUT_MS });
    assert.equal(await page.locator('[data-testid=dashboard]').getAttribute('data-kind'), 'manager');
    const figures = await figureLinks(page);
    assert.ok(figures.length >= 20, `manager figures: ${figures.length}`);
    assert.ok(figures.filter((figure) => figure.href.startsWith('#/cases')).every((figure) => figure.href.endsWith('source=server')));
    await dashboardShots(page, 'en-dashboard-manager');

    for (const figure of figures) await followFigure(page, figure);

    await switchLanguage(page, 'bn');
    await dashboardShots(page, 'bn-dashboard-manager');
  } finally {
    await stop();
  }
});

test('coordination shows no names and suppresses', { timeout: 420_000 }, async () => {
  // Names of children the IMO must never see, read as their agency's manager.
  const manager = await apiSession(server.baseUrl, 'admin.mizan', MANAGER_PASSWORD);
  const names = (await manager.get('/cases?limit=100')).cases.map((row) => row.name).filter(Boolean);
  assert.ok(names.length > 10, `child names to look for: ${names.length}`);

  const { page, stop } = await signIn('imo.nasrin', IMO_PASSWORD, 'en', { cases: false });
  try {
    await page.locator('[data-testid=dashboard] .dash-panel').first().waitFor({ timeout: LIST_TIMEOUT_MS });
    assert.equal(await page.locator('[data-testid=dashboard]').getAttribute('data-kind'), 'coordination');
    await page.locator('[data-testid=suppression-legend]').waitFor();
    const figures = await figureLinks(page);
    assert.ok(figures.some((figure) => figure.suppressed), 'some figure is suppressed');
    assert.ok(figures.every((figure) => figure.href.startsWith('#/dashboard/')), 'coordination figures open tables');
    const suppressedText = await page.locator('a[data-testid=figure][data-suppressed=true]').first().innerText();
    assert.equal(suppressedText, '<5');
    const text = await page.locator('main').innerText();
    assert.deepEqual(names.filter((name) => text.includes(name)), [], 'child names on the coordination dashboard');
    await dashboardShots(page, 'en-dashboard-coordination');

    for (const figure of figures) await followFigure(page, figure);

    // A panel table: agencies, suppressed marks, no names.
    const first = figures[0];
    await page.locator(`a[data-testid=figure][href="${first.href}"]`).first().click();
    await page.locator('[data-testid=pivot]').waitFor();
    const tableText = await page.locator('main').innerText();
    assert.deepEqual(names.filter((name) => tableText.includes(name)), [], 'child names in a panel table');
    await captureScreen(page, shots.dir, 'en-dashboard-panel-table');
    await page.goBack();

    // The monthly report as an XLSX file: a ZIP archive, so it starts with PK.
    await page.locator('[data-testid=nav-reports]').click();
    await page.locator('[data-testid=monthly-report]').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=monthly-xlsx]').click()]);
    const bytes = await readFile(await download.path());
    assert.ok(bytes.length > 200, `XLSX of ${bytes.length} bytes`);
    assert.equal(bytes.subarray(0, 4).toString('latin1'), 'PK\u0003\u0004');
    assert.match(download.suggestedFilename(), /\.xlsx$/);

    await page.locator('[data-testid=monthly-show]').click();
    await page.locator('[data-testid=monthly-sections] [data-testid=pivot]').first().waitFor({ timeout: LIST_TIMEOUT_MS });
    await captureScreen(page, shots.dir, 'en-reports');
    const reportText = await page.locator('main').innerText();
    assert.deepEqual(names.filter((name) => reportText.includes(name)), [], 'child names in the monthly report');

    // A table across agencies is always suppressed, and its CSV marks hidden counts in ASCII.
    assert.equal(await page.locator('[data-testid=pivot-for-sharing]').isChecked(), true);
    assert.equal(await page.locator('[data-testid=pivot-for-sharing]').isDisabled(), true);
    await page.locator('[data-testid=pivot-show]').click();
    await page.locator('[data-testid=pivot-result] [data-testid=pivot]').waitFor({ timeout: LIST_TIMEOUT_MS });
    assert.ok((await page.locator('[data-testid=pivot-result] td[data-suppressed=true]').count()) > 0, 'suppressed cells in the camp × sex table');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=pivot-csv]').click()]);
    const csvBytes = await readFile(await csv.path());
    assert.deepEqual([...csvBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'CSV starts with a UTF-8 byte order mark');
    assert.match(csvBytes.toString('utf8'), /<5/);

    await switchLanguage(page, 'bn');
    await dashboardShots(page, 'bn-dashboard-coordination');
    assert.equal(await page.locator('a[data-testid=figure][data-suppressed=true]').first().innerText(), '<৫');
  } finally {
    await stop();
  }
});
