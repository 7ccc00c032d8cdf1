// The connection breaks in the middle of a first download: the second `POST /sync` never gets an
// answer. When it is back, the download resumes from the cursor stored with the first page
// instead of starting again, and the phone ends up with exactly the server's caseload.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loginAndWaitForCases, openApp, SUPERVISOR_PASSWORD, withServerAndBrowser } from './harness.mjs';
import { apiSession, localCaseCount, serverCaseload, waitForSynced } from './sync-helpers.mjs';

const SUPERVISOR = 'sup.karim';
/** With 1,000 demo cases sup.karim's group owns well over one page (100 cases) of them. */
const setup = withServerAndBrowser({ cases: 1000 });

test('first download resumes from cursor', { timeout: 300_000 }, async () => {
  const { page } = setup.browser;
  const { baseUrl } = setup.server;
  const onServer = await serverCaseload(await apiSession(baseUrl, SUPERVISOR, SUPERVISOR_PASSWORD));
  assert.ok(onServer.length > 100, `${SUPERVISOR} sees ${onServer.length} cases, more than one page`);

  const sent = [];
  const answered = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/v1/sync')) sent.push(JSON.parse(request.postData()));
  });
  page.on('response', async (response) => {
    if (response.url().endsWith('/api/v1/sync') && response.ok()) answered.push(await response.json());
  });
  let count = 0;
  await page.route('**/api/v1/sync', async (route) => {
    count += 1;
    if (count === 2) await route.abort('internetdisconnected');
    else await route.continue();
  });

  await openApp(page, baseUrl);
  await loginAndWaitForCases(page, SUPERVISOR, SUPERVISOR_PASSWORD, 'en');
  // The client retries by itself after the failure, and goes on until the last page.
  // The failed request leaves the browser online: the bar says the server did not answer, and
  // how far the download got.
  const stopped = await page.waitForFunction(() => {
    const connection = document.querySelector('[data-testid=connection]')?.textContent ?? '';
    const progress = document.querySelector('[data-testid=download-incomplete]')?.textContent ?? '';
    return connection.startsWith('Could not reach the server') && progress ? progress : null;
  });
  assert.equal(await stopped.jsonValue(), `Downloaded 100 of ${onServer.length} cases; continuing when the connection returns`);
  await page.waitForFunction(() => !document.querySelector('.syncbar button')?.hasAttribute('disabled'));
  await page.locator('[data-testid=connection]', { hasText: 'Online' }).waitFor({ timeout: 60_000 });
  await waitForSynced(page);
  while (answered.at(-1)?.more !== false) await page.waitForTimeout(100);

  assert.equal(sent[0].cursor, null, 'the first request starts from nothing');
  const firstCursor = answered[0].cursor;
  assert.equal(answered[0].more, true);
  assert.equal(answered[0].records.length, 100);
  assert.equal(sent[1].cursor, firstCursor, 'the aborted request continued from the first page');
  assert.equal(sent[2].cursor, firstCursor, 'the retry resumed from the stored cursor');
  for (const request of sent.slice(1)) assert.notEqual(request.cursor, null, 'no request started again from null');

  assert.equal(await localCaseCount(page), onServer.length);
  const received = answered.flatMap((response) => response.records.map((record) => record.id));
  assert.deepEqual([...new Set(received)].sort(), onServer.map((record) => record.id).sort());
});
