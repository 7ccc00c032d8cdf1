// Imports and exports in Chromium against the demo server, as a new user would do them:
//
// 1. The agency administrator admin.mizan (Bangla) imports a generated caseload spreadsheet of
//    2,000 rows with Bangla names, dd/mm/yyyy dates in Bengali digits and some bad rows. The dry
//    run lists each bad row with its reason and writes nothing; the import creates the good rows.
// 2. The same file again, with the matching saved the first time, creates and changes nothing.
// 3. The caseworker cw.rahima exports her cases to XLSX from the case list and downloads it from
//    "My exports", then downloads one case as a PDF.
//
// Screenshots of a 360 × 740 phone, in English and Bangla, go to $SATHI_SCREENSHOTS_DIR when
// set, else to a temporary folder.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import { captureScreen, CASEWORKER_PASSWORD, launchBrowser, loginAndWaitForCases, openApp, screenshotDir, startServer, submitLogin } from './harness.mjs';
import { apiSession } from './sync-helpers.mjs';

const ADMIN_PASSWORD = 'demo-agency-admin';
const PHONE = { width: 360, height: 740 };
/** Bound for a dry run or an import of the whole file, in milliseconds. */
const JOB_TIMEOUT_MS = 180_000;
const ROWS = 2000;

let server;
let shots;

before(async () => {
  server = await startServer();
  shots = await screenshotDir('sathi-e2e-import-');
});

after(async () => {
  await server?.stop();
  await shots?.cleanup();
});

const BENGALI_DIGITS = '০১২৩৪৫৬৭৮৯';
const bengali = (text) => text.replace(/[0-9]/g, (digit) => BENGALI_DIGITS[Number(digit)]);
const pad = (number) => String(number).padStart(2, '0');

const FIRST_NAMES = ['রহিমা', 'আরিফ', 'মিতু', 'তানভীর', 'নাসরিন', 'জাহিদ', 'শাপলা', 'রুমানা', 'সুমাইয়া', 'হাসান'];
const LAST_NAMES = ['আক্তার', 'হোসেন', 'দাস', 'আলম', 'সুলতানা', 'করিম', 'খাতুন', 'বেগম'];

/** The bad rows (1-based data rows) and the field each one gets wrong. */
const BAD_ROWS = new Map([
  [7, 'date_of_birth'], // 31 February
  [150, 'sex'], // not an option
  [333, 'date_of_birth'], // ASCII and Bengali digits mixed
  [901, 'name_first'], // the required name is empty
  [1502, 'risk_level'], // not an option
  [1999, 'registration_date'], // 13th month
]);

/** Builds the caseload CSV: a byte order mark, the header, then `ROWS` children. */
function caseloadCsv() {
  const lines = ['case_ref,name_first,name_last,sex,date_of_birth,registration_date,location_current,risk_level,protection_concerns'];
  for (let row = 1; row <= ROWS; row++) {
    const birth = `${pad((row % 28) + 1)}/${pad((row % 12) + 1)}/${2008 + (row % 10)}`;
    const registered = `${pad((row % 27) + 1)}/${pad((row % 11) + 1)}/2024`;
    const cells = {
      case_ref: `OLD-${String(row).padStart(5, '0')}`,
      name_first: FIRST_NAMES[row % FIRST_NAMES.length],
      name_last: LAST_NAMES[row % LAST_NAMES.length],
      sex: row % 2 ? 'মহিলা' : 'Male',
      date_of_birth: bengali(birth),
      registration_date: row % 3 ? bengali(registered) : registered,
      location_current: 'BD-CTG-CXB-UKH-C01E-A',
      risk_level: ['উচ্চ', 'মাঝারি', 'low'][row % 3],
      protection_concerns: row % 4 ? 'separated' : 'separated;child_labour',
    };
    const bad = BAD_ROWS.get(row);
    if (bad === 'date_of_birth' && row === 7) cells.date_of_birth = '৩১/০২/২০১৫';
    if (bad === 'date_of_birth' && row === 333) cells.date_of_birth = '1৫/০৬/২০১৭';
    if (bad === 'sex') cells.sex = 'unknown';
    if (bad === 'name_first') cells.name_first = '';
    if (bad === 'risk_level') cells.risk_level = 'very high';
    if (bad === 'registration_date') cells.registration_date = '০১/১৩/২০২৪';
    lines.push(Object.values(cells).join(','));
  }
  return Buffer.from(`\u{feff}${lines.join('\r\n')}\r\n`, 'utf8');
}

/** Opens a phone-sized browser and logs in. */
async function signIn(username, password, locale, { cases = false } = {}) {
  const browser = await launchBrowser();
  await browser.page.setViewportSize(PHONE);
  await openApp(browser.page, server.baseUrl);
  if (cases) await loginAndWaitForCases(browser.page, username, password, locale);
  else await submitLogin(browser.page, username, password, locale);
  return browser;
}

/** Uploads the caseload file on the import screen and waits for its columns. */
async function uploadCaseload(page, file) {
  await page.locator('[data-testid=import-file-input]').setInputFiles({ name: 'caseload-2024.csv', mimeType: 'text/csv', buffer: file });
  await page.locator('[data-testid=import-upload]').click();
  await page.locator('[data-testid=import-mapping]').waitFor();
}

/** Reads the four counts of the results card. */
async function counts(page) {
  const read = async (outcome) => Number((await page.locator(`[data-testid=import-count-${outcome}]`).textContent()).replace(/[০-৯]/g, (digit) => String(BENGALI_DIGITS.indexOf(digit))));
  return { created: await read('created'), updated: await read('updated'), unchanged: await read('unchanged'), rejected: await read('rejected') };
}

async function totalCases(api) {
  const page = await api.get('/cases?status=all&limit=1');
  return page.total;
}

test('admin imports a caseload, then the same file changes nothing', async () => {
  const file = caseloadCsv();
  const api = await apiSession(server.baseUrl, 'admin.mizan', ADMIN_PASSWORD);
  const before = await totalCases(api);
  const { page, stop } = await signIn('admin.mizan', ADMIN_PASSWORD, 'bn');
  // The screen lists owners from an endpoint the administrator may read, so no request is forbidden.
  const forbidden = [];
  page.on('response', (response) => {
    if (response.status() === 403) forbidden.push(new URL(response.url()).pathname);
  });
  try {
    await page.locator('[data-testid=nav-import]').click();
    await page.locator('[data-testid=import]').waitFor();
    await uploadCaseload(page, file);

    // The columns named after fields come matched; the id column and the owner are chosen.
    const field = (column) => page.locator(`[data-testid=import-column-field][data-column="${column}"]`).inputValue();
    assert.equal(await field('name_first'), 'name_first');
    assert.equal(await field('date_of_birth'), 'date_of_birth');
    assert.equal(await page.locator('[data-testid=import-date-format]').inputValue(), 'dd/mm/yyyy');
    await page.locator('#import-external-id').selectOption('case_ref');
    await page.locator('[data-testid=import-owner] option[value="cw.rahima"]').waitFor({ state: 'attached' });
    await page.locator('[data-testid=import-owner]').selectOption('cw.rahima');
    assert.deepEqual(forbidden, [], 'the import screen made a forbidden request');
    await page.locator('#import-mapping-name').fill('পুরোনো কেস তালিকা');
    await page.locator('[data-testid=import-save-mapping]').click();
    await page.getByText('"পুরোনো কেস তালিকা" নামে সংরক্ষণ হয়েছে।').waitFor();
    await captureScreen(page, shots.dir, 'bn-import-mapping');

    await page.locator('[data-testid=import-dry-run]').click();
    await page.locator('[data-testid=import-dry-run-results]').waitFor({ timeout: JOB_TIMEOUT_MS });
    assert.deepEqual(await counts(page), { created: ROWS - BAD_ROWS.size, updated: 0, unchanged: 0, rejected: BAD_ROWS.size });
    assert.equal(await totalCases(api), before, 'the dry run wrote cases');

    // Each bad row is listed with a reason in Bangla.
    await page.locator('[data-testid=import-rejected] tbody tr').first().waitFor();
    const rejected = await page.locator('[data-testid=import-rejected] tbody tr').evaluateAll((rows) =>
      rows.map((row) => ({ row: Number(row.dataset.row), reason: row.querySelector('td').textContent })),
    );
    assert.deepEqual(
      rejected.map((entry) => entry.row),
      [...BAD_ROWS.keys()],
    );
    for (const entry of rejected) {
      assert.ok(entry.reason.includes(BAD_ROWS.get(entry.row)), `row ${entry.row} does not name its column: ${entry.reason}`);
      assert.match(entry.reason, /[\u0980-\u09FF]/, `row ${entry.row}'s reason is not in Bangla: ${entry.reason}`);
    }
    await page.locator('#import-results-title').evaluate((title) => {
      title.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -70);
    });
    await captureScreen(page, shots.dir, 'bn-import-dry-run');

    const [report] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=import-report-csv]').click()]);
    const reportText = (await readFile(await report.path())).toString('utf8');
    assert.ok(reportText.startsWith('\u{feff}'), 'the CSV report has no byte order mark');
    assert.ok(reportText.includes('OLD-00007'), 'the report does not list row 7');

    await page.locator('[data-testid=import-run]').click();
    await page.locator('[data-testid=import-summary]').waitFor({ timeout: JOB_TIMEOUT_MS });
    assert.deepEqual(await counts(page), { created: ROWS - BAD_ROWS.size, updated: 0, unchanged: 0, rejected: BAD_ROWS.size });
    assert.equal(await totalCases(api), before + ROWS - BAD_ROWS.size, 'the import did not create the good rows');
    await captureScreen(page, shots.dir, 'bn-import-summary');
    // A run uses up its dry run, so the summary offers a new check and no second import.
    assert.equal(await page.locator('[data-testid=import-run]').count(), 0, 'a second import is offered without a new check');
    assert.equal(await page.locator('[data-testid=import-dry-run]').count(), 1, 'the summary offers no new check');

    // The same file again, with the saved matching: nothing is created or changed.
    await page.locator('[data-testid=import-again]').click();
    await uploadCaseload(page, file);
    await page.locator('[data-testid=import-saved]').selectOption({ label: 'পুরোনো কেস তালিকা' });
    assert.equal(await page.locator('[data-testid=import-owner]').inputValue(), 'cw.rahima');
    await page.locator('[data-testid=import-dry-run]').click();
    await page.locator('[data-testid=import-dry-run-results]').waitFor({ timeout: JOB_TIMEOUT_MS });
    assert.deepEqual(await counts(page), { created: 0, updated: 0, unchanged: ROWS - BAD_ROWS.size, rejected: BAD_ROWS.size });
    assert.equal(await page.locator('[data-testid=import-run]').isDisabled(), true, 'an import with nothing to write is offered');
    assert.equal(await totalCases(api), before + ROWS - BAD_ROWS.size, 'the second file changed the number of cases');
  } finally {
    await stop();
  }
});

test('import screen in English', async () => {
  const { page, stop } = await signIn('admin.mizan', ADMIN_PASSWORD, 'en');
  try {
    await page.locator('[data-testid=nav-import]').click();
    await page.locator('[data-testid=import]').waitFor();
    await uploadCaseload(page, caseloadCsv());
    await page.getByText('Match the columns to fields').waitFor();
    await captureScreen(page, shots.dir, 'en-import-mapping');
    await page.locator('#import-external-id').selectOption('case_ref');
    await page.locator('[data-testid=import-owner] option[value="cw.rahima"]').waitFor({ state: 'attached' });
    await page.locator('[data-testid=import-owner]').selectOption('cw.rahima');
    await page.locator('[data-testid=import-dry-run]').click();
    await page.locator('[data-testid=import-rejected] tbody tr').first().waitFor({ timeout: JOB_TIMEOUT_MS });
    assert.match(await page.locator('[data-testid=import-rejected] tbody tr').first().textContent(), /^7date_of_birth: /);
    await page.locator('#import-results-title').evaluate((title) => {
      title.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -70);
    });
    await captureScreen(page, shots.dir, 'en-import-dry-run');
  } finally {
    await stop();
  }
});

test('caseworker exports her cases and a case PDF', async () => {
  for (const locale of ['bn', 'en']) {
    const { page, stop } = await signIn('cw.rahima', CASEWORKER_PASSWORD, locale, { cases: true });
    try {
      await page.locator('[data-testid=export-open]').click();
      await page.locator('[data-testid=export-format-xlsx]').check();
      await captureScreen(page, shots.dir, `${locale}-export-panel`);
      await page.locator('[data-testid=export-create]').click();
      await page.locator('[data-testid=export-started] a').click();
      const item = page.locator('[data-testid=export-item][data-state=ready]').first();
      await item.waitFor({ timeout: JOB_TIMEOUT_MS });
      await captureScreen(page, shots.dir, `${locale}-my-exports`);
      const [workbook] = await Promise.all([page.waitForEvent('download'), item.locator('[data-testid=export-download]').click()]);
      assert.match(workbook.suggestedFilename(), /\.xlsx$/);
      const bytes = await readFile(await workbook.path());
      assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'the export is not an XLSX (ZIP) file');

      await page.locator('[data-testid=nav-cases]').click();
      await page.locator('[data-testid=case-list] li a').first().click();
      await page.locator('[data-testid=case-pdf]').waitFor();
      const [pdf] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid=case-pdf]').click()]);
      assert.match(pdf.suggestedFilename(), /\.pdf$/);
      const pdfBytes = await readFile(await pdf.path());
      assert.equal(pdfBytes.subarray(0, 5).toString('latin1'), '%PDF-', 'the case download is not a PDF');
      await captureScreen(page, shots.dir, `${locale}-case-pdf`);
    } finally {
      await stop();
    }
  }
});
