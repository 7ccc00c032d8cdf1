// Helpers the sync end-to-end tests share: an API client that can also POST, and reading what
// the phone holds.

import { createHash } from 'node:crypto';
import { dumpIndexedDb } from './harness.mjs';

/** Logs in to the API as a bearer-token client; returns `get(path)` and `post(path, body)`. */
export async function apiSession(baseUrl, username, password) {
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, client: 'api' }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!login.ok) throw new Error(`API login of ${username} failed: ${login.status} ${await login.text()}`);
  const { token } = await login.json();
  const call = async (method, apiPath, body) => {
    const answer = await fetch(`${baseUrl}/api/v1${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (!answer.ok) throw new Error(`${method} ${apiPath} failed: ${answer.status} ${await answer.text()}`);
    return answer.status === 204 ? null : answer.json();
  };
  return { get: (apiPath) => call('GET', apiPath), post: (apiPath, body) => call('POST', apiPath, body) };
}

/** Returns every case of the user's caseload on the server, as the old caseload endpoint pages it. */
export async function serverCaseload(api) {
  const all = [];
  for (let offset = 0; ; offset += 200) {
    const page = await api.get(`/caseload?offset=${offset}&limit=200`);
    all.push(...page.cases);
    if (page.cases.length < 200) return all;
  }
}

/** Waits until the sync bar reports everything sent and no sync running. */
export async function waitForSynced(page, allSentText = 'All changes sent') {
  await page.locator('[data-testid=pending]', { hasText: allSentText }).waitFor({ timeout: 30_000 });
  await page.locator('.syncbar button:not([disabled])').waitFor({ timeout: 30_000 });
}

/** Clicks "Sync now" and waits until the run has finished. */
export async function syncAndWait(page) {
  const button = page.locator('.syncbar button');
  await button.waitFor();
  await page.waitForFunction(() => !document.querySelector('.syncbar button')?.hasAttribute('disabled'));
  await button.click();
  await page.waitForFunction(() => !document.querySelector('.syncbar button')?.hasAttribute('disabled'));
}

/** Returns the number of cases the case list counts with the status filter on "all", read in English. */
export async function localCaseCount(page) {
  await page.locator('a[href="#/cases"]').first().click();
  await page.locator('#case-status').selectOption('all');
  const text = await page.locator('#cases-title .badge').innerText();
  return Number(text.match(/\d+/)[0]);
}

/** Polls `check` every 200 ms until it returns true, for at most 30 s; `condition` names it in the timeout error. */
export async function waitUntil(check, condition) {
  const deadline = Date.now() + 30_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Returns the registry key that web/src/vault/crypto.ts derives for `username`. */
export function userKey(username) {
  return createHash('sha256').update(`sathi-vault:${username}`).digest('hex');
}

/** Returns the vault database name of `username`. */
export function vaultName(username) {
  return `sathi-vault-${userKey(username)}`;
}

/**
 * Returns the ids of the cases stored in the vault of `username` on this browser profile. The
 * vault seals every value, but its record keys (`case:<id>`) are stored in the clear.
 */
export async function vaultCaseIds(page, username) {
  const { values } = await dumpIndexedDb(page);
  const ids = new Set();
  for (const { database, store, text } of values) {
    if (database !== vaultName(username) || store !== 'records') continue;
    const { key } = JSON.parse(text);
    if (typeof key === 'string' && key.startsWith('case:')) ids.add(key.slice('case:'.length));
  }
  return ids;
}
