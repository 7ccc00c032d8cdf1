// A document is added to a case on the phone and the connection breaks after the first chunk
// of its upload. When the connection is back, the phone asks the server how much it holds and
// resumes there; the server verifies the file, and the file it serves equals the original bytes.
// Then screenshots of the photo field, in English and Bangla, at 360×640.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { CASEWORKER_PASSWORD, loginAndWaitForCases, logOut, openApp, saveButton, withServerAndBrowser } from './harness.mjs';
import { apiSession, waitForSynced } from './sync-helpers.mjs';

const USER = 'cw.farzana';
/** The client's chunk size (CHUNK_BYTES in src/attachments.ts). */
const CHUNK = 128 * 1024;
const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const setup = withServerAndBrowser();
let outputDir;
let temporaryDir = null;

before(async () => {
  if (process.env.SATHI_SCREENSHOTS_DIR) {
    outputDir = path.resolve(process.env.SATHI_SCREENSHOTS_DIR);
    await mkdir(outputDir, { recursive: true });
  } else {
    temporaryDir = await mkdtemp(path.join(os.tmpdir(), 'sathi-e2e-attachments-'));
    outputDir = temporaryDir;
  }
});

after(async () => {
  if (temporaryDir) await rm(temporaryDir, { recursive: true, force: true });
});

/** A PDF-looking file of 4.5 chunks whose bytes differ from chunk to chunk. */
function documentBytes() {
  const bytes = Buffer.alloc(4 * CHUNK + CHUNK / 2);
  for (let index = 0; index < bytes.length; index += 1) bytes[index] = (index * 31 + (index >> 10)) % 256;
  bytes.write('%PDF-1.4\n', 0, 'latin1');
  return bytes;
}

/** Opens the edit screen of the attachments form of the first case in the list; returns its id. */
async function openAttachmentsForm(page) {
  await page.locator('[data-testid=case-list] li a').first().click();
  await page.waitForFunction(() => /^#\/cases\/[0-9a-f-]{36}/.test(location.hash));
  const caseId = await page.evaluate(() => location.hash.split('/')[2]);
  await page.evaluate((id) => {
    location.hash = `#/cases/${id}/edit/attachments`;
  }, caseId);
  await page.locator('[data-field=photo_child]').waitFor();
  return caseId;
}

test('upload resumes after broken connection', { timeout: 300_000 }, async () => {
  const { page } = setup.browser;
  const { baseUrl } = setup.server;
  const original = documentBytes();
  const sha256 = createHash('sha256').update(original).digest('hex');

  // The second chunk never reaches the server, as if the link dropped; later ones go through.
  const patches = [];
  let cut = false;
  await page.route('**/api/v1/attachments/*', async (route) => {
    const request = route.request();
    if (request.method() !== 'PATCH') return route.continue();
    const offset = Number(request.headers()['upload-offset']);
    patches.push(offset);
    if (!cut && offset > 0) {
      cut = true;
      return route.abort('internetdisconnected');
    }
    return route.continue();
  });
  const progressQueries = [];
  page.on('request', (request) => {
    if (request.method() === 'GET' && /\/api\/v1\/attachments\/[0-9a-f-]{36}$/.test(request.url())) progressQueries.push(request.url());
  });

  await openApp(page, baseUrl);
  await loginAndWaitForCases(page, USER, CASEWORKER_PASSWORD, 'en');
  await waitForSynced(page);
  const caseId = await openAttachmentsForm(page);
  await page.locator('#f-documents').setInputFiles({ name: 'referral.pdf', mimeType: 'application/pdf', buffer: original });
  await page.locator('[data-field=documents] [data-attachment]').waitFor();
  const attachmentId = await page.locator('[data-field=documents] [data-attachment]').getAttribute('data-attachment');
  await saveButton(page).click();
  await page.waitForFunction((id) => location.hash === `#/cases/${id}/attachments`, caseId);

  // The sync after the save uploads the first chunk, then fails; its retry resumes.
  await page.locator('[data-testid=connection]', { hasText: 'Could not reach the server' }).waitFor({ timeout: 60_000 });
  await page.locator('[data-testid=connection]', { hasText: 'Online' }).waitFor({ timeout: 60_000 });
  await waitForSynced(page);
  await page.evaluate((id) => {
    location.hash = `#/cases/${id}/edit/attachments`;
  }, caseId);
  await page.locator(`[data-attachment="${attachmentId}"] [data-attachment-state=verified]`).waitFor({ timeout: 60_000 });

  assert.ok(cut, 'the connection was cut during the upload');
  assert.deepEqual(
    patches,
    [0, CHUNK, CHUNK, 2 * CHUNK, 3 * CHUNK, 4 * CHUNK],
    'the upload resumed at the offset the server held, and sent every other chunk once',
  );
  assert.ok(progressQueries.length >= 2, 'the phone asked the server for the progress before resuming');

  const api = await apiSession(baseUrl, USER, CASEWORKER_PASSWORD);
  const onServer = await api.get(`/attachments/${attachmentId}`);
  assert.equal(onServer.status, 'verified');
  assert.equal(onServer.received, original.length);
  assert.equal(onServer.sha256, sha256);
  const record = await api.get(`/cases/${caseId}`);
  assert.deepEqual(record.data.documents, [attachmentId], 'the case lists the file once');

  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: USER, password: CASEWORKER_PASSWORD, client: 'api' }),
  });
  const { token } = await login.json();
  const download = await fetch(`${baseUrl}/api/v1/attachments/${attachmentId}/content`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(download.status, 200);
  const downloaded = Buffer.from(await download.arrayBuffer());
  assert.equal(downloaded.length, original.length);
  assert.ok(downloaded.equals(original), 'the downloaded file equals the original bytes');
  await page.unroute('**/api/v1/attachments/*');
  await logOut(page);
});

/** Reads the width and height of a JPEG from its first SOF0 or SOF2 segment. */
function jpegSize(bytes) {
  for (let at = 2; at + 9 < bytes.length; ) {
    if (bytes[at] !== 0xff) throw new Error(`not a JPEG segment at byte ${at}`);
    const marker = bytes[at + 1];
    if (marker === 0xc0 || marker === 0xc2) return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    at += 2 + bytes.readUInt16BE(at + 2);
  }
  throw new Error('no SOF segment in the JPEG');
}

test('photo is downscaled before upload', { timeout: 120_000 }, async () => {
  const { page } = setup.browser;
  const { baseUrl } = setup.server;
  await openApp(page, baseUrl);
  await loginAndWaitForCases(page, 'cw.mahmud', CASEWORKER_PASSWORD, 'en');
  await waitForSynced(page);
  const caseId = await openAttachmentsForm(page);
  // A 3200×1800 PNG drawn in the page, larger than any photo the phone keeps.
  const png = Buffer.from(
    await page.evaluate(async () => {
      const canvas = document.createElement('canvas');
      canvas.width = 3200;
      canvas.height = 1800;
      const context = canvas.getContext('2d');
      context.fillStyle = '#2a6f5e';
      context.fillRect(0, 0, 3200, 1800);
      context.fillStyle = '#f2c14e';
      context.fillRect(400, 300, 1200, 900);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
      return Array.from(new Uint8Array(await blob.arrayBuffer()));
    }),
  );
  await page.locator('#f-photo_child').setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: png });
  const item = page.locator('[data-field=photo_child] [data-attachment]').first();
  await item.waitFor();
  const attachmentId = await item.getAttribute('data-attachment');
  await saveButton(page).click();
  await page.waitForFunction((id) => location.hash === `#/cases/${id}/attachments`, caseId);
  await waitForSynced(page);
  await page.locator(`[data-attachment="${attachmentId}"] [data-attachment-state=verified]`).waitFor({ timeout: 60_000 });

  const api = await apiSession(baseUrl, 'cw.mahmud', CASEWORKER_PASSWORD);
  const onServer = await api.get(`/attachments/${attachmentId}`);
  assert.equal(onServer.content_type, 'image/jpeg');
  assert.equal(onServer.file_name, 'big.jpg');
  assert.ok(onServer.size < png.length, `the stored photo (${onServer.size} bytes) is smaller than the original (${png.length})`);
  const login = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'cw.mahmud', password: CASEWORKER_PASSWORD, client: 'api' }),
  });
  const { token } = await login.json();
  const download = await fetch(`${baseUrl}/api/v1/attachments/${attachmentId}/content`, { headers: { authorization: `Bearer ${token}` } });
  const jpeg = Buffer.from(await download.arrayBuffer());
  assert.deepEqual(jpegSize(jpeg), { width: 1600, height: 900 });
  await logOut(page);
});

// Another user for each language, so each screenshot shows a case with one photo.
for (const { locale, user, verified } of [
  { locale: 'en', user: 'cw.shirin', verified: 'Uploaded and checked' },
  { locale: 'bn', user: 'cw.rahima', verified: 'আপলোড ও যাচাই হয়েছে' },
]) {
  test(`photo field screenshot in ${locale}`, { timeout: 120_000 }, async () => {
    const { page } = setup.browser;
    const { baseUrl } = setup.server;
    await openApp(page, baseUrl);
    await loginAndWaitForCases(page, user, CASEWORKER_PASSWORD, locale);
    await waitForSynced(page, locale === 'bn' ? 'সব পরিবর্তন পাঠানো হয়েছে' : 'All changes sent');
    const caseId = await openAttachmentsForm(page);
    const photo = await readFile(path.join(WEB_DIR, 'public', 'icons', 'icon-512.png'));
    await page.locator('#f-photo_child').setInputFiles({ name: 'child.png', mimeType: 'image/png', buffer: photo });
    await page.locator('[data-field=photo_child] img').waitFor();
    await saveButton(page).click();
    await page.waitForFunction((id) => location.hash === `#/cases/${id}/attachments`, caseId);
    await waitForSynced(page, locale === 'bn' ? 'সব পরিবর্তন পাঠানো হয়েছে' : 'All changes sent');
    await page.evaluate((id) => {
      location.hash = `#/cases/${id}/edit/attachments`;
    }, caseId);
    await page.locator('[data-field=photo_child] [data-attachment-state=verified]', { hasText: verified }).first().waitFor({ timeout: 60_000 });
    // The field's label at the top of the screen, with the add button below the photo.
    await page.evaluate(() => {
      document.querySelector('[data-field=photo_child]').scrollIntoView({ block: 'start' });
      // Below the sticky header.
      window.scrollBy(0, -document.querySelector('header').getBoundingClientRect().height - 8);
    });
    await page.evaluate(() => document.fonts.ready);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the photo field is ${overflow} px wider than the viewport`);
    await page.screenshot({ path: path.join(outputDir, `${locale}-photo-field.png`) });
    await logOut(page);
  });
}
