// Test harness for the end-to-end tests: a demo server on a free loopback port, headless
// Chromium with a phone viewport and a fresh profile, and helpers for the screens and the API.
//
// It builds nothing. It expects `web/dist` built (`npm run build`) and a debug `sathi` binary,
// which reads `web/dist` from disk: $SATHI_BIN, else $CARGO_TARGET_DIR/debug/sathi, else
// ../target/debug/sathi relative to web/.

import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.mjs';

export { CHROMIUM };

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPO_DIR = path.resolve(WEB_DIR, '..');

export const CASEWORKER_PASSWORD = 'demo-caseworker';
export const SUPERVISOR_PASSWORD = 'demo-supervisor';
export const PROVIDER_PASSWORD = 'demo-provider';
/** Default bound for one Playwright action or wait, in milliseconds. */
export const STEP_TIMEOUT_MS = 15_000;
/** Bound for the server to respond on /api/v1/health after start, in milliseconds. */
const SERVER_START_TIMEOUT_MS = 60_000;


/** Returns the path of the debug `sathi` binary, or throws naming the paths it tried. */
export function sathiBinary() {
  const candidates = [
    process.env.SATHI_BIN,
    process.env.CARGO_TARGET_DIR && path.join(process.env.CARGO_TARGET_DIR, 'debug', 'sathi'),
    path.join(REPO_DIR, 'target', 'debug', 'sathi'),
  ].filter(Boolean);
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    throw new Error(`sathi binary not found at ${candidates.join(', ')}: run \`cargo build -p sathi\` or set SATHI_BIN`);
  }
  if (!existsSync(path.join(WEB_DIR, 'dist', 'index.html'))) {
    throw new Error(`${path.join(WEB_DIR, 'dist')} has no index.html: run \`npm run build\` in web/ first`);
  }
  return found;
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Demo cases per server. With the demo's seed, 40 cases leave cw.rahima with none, so the
 * case list would be empty; 120 gives each BCRI caseworker some, and still starts in seconds. */
const DEMO_CASES = 120;

/**
 * Starts `sathi demo --serve` with `cases` demo cases in a new temporary data directory and
 * waits until it is healthy. Returns `{ baseUrl, log(), stop() }`; `stop` kills the server and
 * deletes the directory.
 */
export async function startServer({ cases = DEMO_CASES } = {}) {
  const binary = sathiBinary();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sathi-e2e-'));
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    ['demo', '--data-dir', dataDir, '--cases', String(cases), '--serve', '--listen', `127.0.0.1:${port}`],
    { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } },
  );
  let output = '';
  const collect = (chunk) => {
    output += chunk.toString();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });

  const stop = async () => {
    if (!exited) {
      const exit = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exit;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`sathi demo exited with ${JSON.stringify(exited)} before it was healthy:\n${output}`);
    }
    try {
      const response = await fetch(`${baseUrl}/api/v1/health`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`sathi demo did not respond on ${baseUrl}/api/v1/health within ${SERVER_START_TIMEOUT_MS} ms:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { baseUrl, log: () => output, stop };
}

/**
 * Launches Chromium with a fresh profile and a 360×640 phone viewport in Asia/Dhaka time.
 * Returns `{ context, page, stop() }`; `stop` closes the browser and deletes the profile.
 */
/**
 * Starts a demo server and a browser before the tests of a file and stops both after them.
 * Returns an object whose `server` and `browser` are set once the `before` hook has run.
 */
export function withServerAndBrowser(options = {}) {
  const context = { server: undefined, browser: undefined };
  before(async () => {
    context.server = await startServer(options);
    context.browser = await launchBrowser();
  });
  after(async () => {
    await context.browser?.stop();
    await context.server?.stop();
  });
  return context;
}

export async function launchBrowser() {
  const profileDir = await mkdtemp(path.join(os.tmpdir(), 'sathi-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    timezoneId: 'Asia/Dhaka',
    locale: 'bn-BD',
    timeout: 30_000,
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = context.pages()[0] ?? (await context.newPage());
  const stop = async () => {
    await context.close().catch(() => undefined);
    await rm(profileDir, { recursive: true, force: true });
  };
  return { context, page, stop };
}

/** Opens the app and waits until the service worker controls the page, so it opens offline later. */
export async function openApp(page, baseUrl) {
  await page.goto(`${baseUrl}/`);
  await page.waitForFunction(() => navigator.serviceWorker?.controller != null, null, { timeout: STEP_TIMEOUT_MS });
  await page.locator('#login-username').waitFor();
}

/** Fills the login form with the language `locale` ('bn' or 'en') and submits it. */
export async function submitLogin(page, username, password, locale) {
  if (locale) await page.locator('#login-language').selectOption(locale);
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator('form button[type=submit]').click();
}

/** Logs in and waits for the case list with at least one case on it. */
export async function loginAndWaitForCases(page, username, password, locale) {
  await submitLogin(page, username, password, locale);
  // The home screen is the day's tasks; the case list is the Cases tab.
  await page.locator('[data-testid=nav-cases]').click({ timeout: 30_000 });
  await page.locator('[data-testid=case-list] li').first().waitFor({ timeout: 30_000 });
}

/** Counts the cases shown in the list (the `data-testid=case-list` items). */
export async function listedCaseCount(page) {
  return page.locator('[data-testid=case-list] li').count();
}

/** Clicks "Log out" in Settings, confirming the pending-changes warning when it appears. */
export async function logOut(page, { expectPendingWarning = false } = {}) {
  await page.locator('a[href="#/settings"]').click();
  const button = page.locator('button.danger');
  await button.click();
  if (expectPendingWarning) {
    await page.locator('.notice').waitFor();
    await button.click();
  }
  await page.locator('#login-username').waitFor();
}

/** Today's date in Asia/Dhaka (UTC+6, no daylight saving) as `YYYY-MM-DD`. */
export function todayInDhaka(now = Date.now()) {
  return new Date(now + 6 * 60 * 60_000).toISOString().slice(0, 10);
}

/** Writes Western digits as Bengali digits (০–৯). */
export function bengaliDigits(text) {
  return text.replace(/[0-9]/g, (digit) => String.fromCharCode(0x09e6 + Number(digit)));
}

/** Logs in to the API as a bearer-token client and returns `get(path)` for JSON requests. */
export async function apiClient(baseUrl, username, password) {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, client: 'api' }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`API login of ${username} failed: ${response.status} ${await response.text()}`);
  const { token } = await response.json();
  const get = async (apiPath) => {
    const answer = await fetch(`${baseUrl}/api/v1${apiPath}`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!answer.ok) throw new Error(`GET ${apiPath} failed: ${answer.status} ${await answer.text()}`);
    return answer.json();
  };
  return { get };
}

/** Returns, from the page, every IndexedDB database name and every stored value as JSON text. */
export async function dumpIndexedDb(page) {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((entry) => entry.name);
    // Binary values are decoded as UTF-8 too, so plaintext stored as bytes would show.
    const decoder = new TextDecoder('utf-8', { fatal: false });
    const serialise = (value) =>
      JSON.stringify(value, (_key, inner) => {
        if (inner instanceof ArrayBuffer) return decoder.decode(inner);
        if (ArrayBuffer.isView(inner)) return decoder.decode(new Uint8Array(inner.buffer, inner.byteOffset, inner.byteLength));
        return inner;
      });
    const values = [];
    for (const name of names) {
      const db = await new Promise((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const rows = await new Promise((resolve, reject) => {
          const request = db.transaction(store, 'readonly').objectStore(store).getAll();
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
        for (const row of rows) values.push({ database: name, store, text: serialise(row) });
      }
      db.close();
    }
    return { names, values };
  });
}

/** A camp and one of its blocks in config/locations.json, for the location field. */
export const CAMP = 'BD-CTG-CXB-UKH-C01E';
export const BLOCK = 'BD-CTG-CXB-UKH-C01E-B';

/**
 * Fills the registration form (basic_identity, protection_concerns, consent) with the fields
 * config/forms marks required, plus last name and age. Digits are typed as given, so callers
 * choose the script. The caller submits.
 */
export async function fillRegistration(page, { date, firstName, lastName, sex = 'female', age, riskLevel = 'high', concern = 'separated' }) {
  await page.locator('#f-registration_date').fill(date);
  await page.locator('#f-name_first').fill(firstName);
  if (lastName) await page.locator('#f-name_last').fill(lastName);
  await page.locator('#f-sex').selectOption(sex);
  if (age !== undefined) await page.locator('#f-age').fill(age);
  await page.locator('#f-location_current').selectOption(CAMP);
  await page.locator('[data-field=location_current] select').nth(1).selectOption(BLOCK);
  await page.locator('#f-risk_level').selectOption(riskLevel);
  await page.locator(`input[name=protection_concerns][value=${concern}]`).check();
}

/** Returns the submit button of the case form. */
export function saveButton(page) {
  return page.locator('form .actions button[type=submit]');
}

/**
 * Returns the folder screenshots go to: $SATHI_SCREENSHOTS_DIR (kept), or a new temporary folder.
 * `cleanup()` deletes the temporary folder and leaves a kept one alone.
 */
export async function screenshotDir(prefix) {
  if (process.env.SATHI_SCREENSHOTS_DIR) {
    const dir = path.resolve(process.env.SATHI_SCREENSHOTS_DIR);
    await mkdir(dir, { recursive: true });
    return { dir, cleanup: async () => undefined };
  }
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/**
 * Saves a screenshot of the viewport as `dir/name.png` once the fonts have loaded. It first
 * asserts that nothing is wider than the screen and that every menu tab is on the screen and at
 * least 44 px wide, so a phone user can reach it. It also asserts that no word of a menu label
 * is split across two lines.
 */
export async function captureScreen(page, dir, name) {
  await page.evaluate(() => document.fonts.ready);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name} is ${overflow} px wider than the viewport`);
  const outside = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=main-nav] a')]
      .filter((link) => {
        const box = link.getBoundingClientRect();
        return box.left < 0 || box.right > window.innerWidth || box.bottom > window.innerHeight || box.width < 44;
      })
      .map((link) => link.getAttribute('href')),
  );
  assert.deepEqual(outside, [], `${name}: menu entries outside the screen or narrower than 44 px`);
  // A label may wrap between words, but a word broken across two lines is unreadable.
  const brokenWords = await page.evaluate(() =>
    [...document.querySelectorAll('[data-testid=main-nav] .label-short')].flatMap((label) => {
      const text = label.textContent;
      const broken = [];
      for (const match of text.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(label.firstChild, match.index);
        range.setEnd(label.firstChild, match.index + match[0].length);
        const lineTops = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        if (lineTops.size > 1) broken.push(match[0]);
      }
      return broken;
    }),
  );
  assert.deepEqual(brokenWords, [], `${name}: menu label words broken across lines`);
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: false });
}
