// Screenshots of the main screens at 360×640, in Bangla and in English, and a check that no
// screen is wider than the phone. `npm run screenshots` writes them to docs/screenshots/;
// a plain `npm run e2e` writes them to a temporary directory and deletes it.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import {
  CASEWORKER_PASSWORD,
  launchBrowser,
  loginAndWaitForCases,
  openApp,
  saveButton,
  startServer,
  submitLogin,
} from './harness.mjs';

const LOCALES = [
  { locale: 'bn', user: 'cw.rahima', allSent: 'সব পরিবর্তন পাঠানো হয়েছে', offline: 'অফলাইন', nickname: 'নুরু' },
  { locale: 'en', user: 'cw.farzana', allSent: 'All changes sent', offline: 'Offline', nickname: 'Nuru' },
];

let server;
let outputDir;
let temporaryDir = null;

before(async () => {
  server = await startServer();
  if (process.env.SATHI_SCREENSHOTS_DIR) {
    outputDir = path.resolve(process.env.SATHI_SCREENSHOTS_DIR);
    await mkdir(outputDir, { recursive: true });
  } else {
    temporaryDir = await mkdtemp(path.join(os.tmpdir(), 'sathi-e2e-screenshots-'));
    outputDir = temporaryDir;
  }
});

after(async () => {
  await server?.stop();
  if (temporaryDir) await rm(temporaryDir, { recursive: true, force: true });
});

/** Saves the visible 360×640 viewport as `<locale>-<name>.png` after checking it has no horizontal scroll. */
async function capture(page, locale, name) {
  await page.evaluate(() => document.fonts.ready);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${locale}-${name} is ${overflow} px wider than the viewport`);
  await page.screenshot({ path: path.join(outputDir, `${locale}-${name}.png`) });
}

for (const { locale, user, allSent, offline, nickname } of LOCALES) {
  test(`screenshots in ${locale}`, { timeout: 180_000 }, async () => {
    const browser = await launchBrowser();
    try {
      const { page, context } = browser;
      await openApp(page, server.baseUrl);
      await page.locator('#login-language').selectOption(locale);
      await capture(page, locale, 'login');

      await loginAndWaitForCases(page, user, CASEWORKER_PASSWORD, locale);
      await page.locator('[data-testid=pending]', { hasText: allSent }).waitFor({ timeout: 30_000 });
      await capture(page, locale, 'case-list');

      await page.locator('[data-testid=case-list] li a').first().click();
      await page.locator('#case-title').waitFor();
      await capture(page, locale, 'case-view');
      const caseId = page.url().match(/#\/cases\/([0-9a-f-]+)/)[1];

      await page.locator('a[href="#/new"]').click();
      await page.locator('#f-age').fill('1৫');
      await saveButton(page).click();
      await page.locator('#f-age-error').waitFor();
      await page.evaluate(() => window.scrollTo(0, 0));
      await capture(page, locale, 'registration-errors');
      await page.locator('#f-age').scrollIntoViewIfNeeded();
      await capture(page, locale, 'registration-age-error');

      await page.locator('a[href="#/settings"]').click();
      await page.locator('#settings-language').waitFor();
      await capture(page, locale, 'settings');

      // Offline with one change waiting to be sent.
      await context.setOffline(true);
      await page.goto(`${server.baseUrl}/#/cases/${caseId}/edit/basic_identity`);
      await page.locator('#f-name_nickname').fill(nickname);
      await saveButton(page).click();
      await page.locator('[data-testid=connection]', { hasText: offline }).waitFor();
      await page.locator('[data-testid=case-sync].pending').waitFor();
      await capture(page, locale, 'offline-case-view');
      // The question before withdrawing the change, then "Keep my changes".
      await page.locator('[data-testid=withdraw-open]').click();
      await page.locator('[data-testid=withdraw-confirm]').waitFor();
      await capture(page, locale, 'withdraw-confirm');
      await page.locator('[data-testid=withdraw] [role=alertdialog] button').nth(1).click();
      await page.locator('[data-testid=withdraw-open]').waitFor();
      await page.locator('a[href="#/cases"]').first().click();
      await page.locator('[data-testid=case-list] .badge.pending').waitFor();
      await capture(page, locale, 'offline-case-list');
    } finally {
      await browser.stop();
    }
  });
}
