#!/usr/bin/env node
// Measures the web client against its targets and writes docs/benchmarks-web.md:
//
//   - JavaScript and CSS that index.html loads on the first visit, gzip, fonts excluded (< 300 KB);
//   - with about 5,000 cases in the vault, in Chromium with 4x CPU throttling:
//     unlock (< 2 s), first paint of the case list (< 0.5 s), a name search (< 150 ms) and
//     opening a case (< 300 ms).
//
// It starts `sathi demo` on a loopback port, logs in online once so the vault fills, and then
// times each step in the page with performance.now(). Run it through scripts/bench-web, which
// builds the client and the server first. Usage:
//
//   node web/bench/run.mjs --sathi target/release/sathi [--data-dir DIR] [--cases 30000]
//                          [--target-cases 5000] [--runs 5] [--port 18790] [--out docs/benchmarks-web.md]

import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/chromium.mjs';

const webDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const repoDir = resolve(webDir, '..');

const TARGETS = {
  bundleKb: 300,
  unlockMs: 2000,
  listPaintMs: 500,
  searchMs: 150,
  openCaseMs: 300,
};

// Every wait is bounded. Creating 30,000 demo cases takes minutes, so that one bound is generous.
const DEMO_CREATE_TIMEOUT_MS = 60 * 60_000;
const SERVER_START_TIMEOUT_MS = 60_000;
const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;
const STEP_TIMEOUT_MS = 60_000;
const SEARCH_PAUSE_MS = 3_000;

function parseArgs(argv) {
  const targetDir = process.env.CARGO_TARGET_DIR ?? join(repoDir, 'target');
  const options = {
    sathi: join(targetDir, 'release', 'sathi'),
    dataDir: null,
    cases: 30_000,
    targetCases: 5_000,
    runs: 5,
    port: 18790,
    out: join(repoDir, 'docs', 'benchmarks-web.md'),
    throttle: 4,
  };
  for (let index = 0; index < argv.length; index += 2) {
    const [name, value] = [argv[index], argv[index + 1]];
    if (value === undefined) throw new Error(`option ${name} is missing its value`);
    switch (name) {
      case '--sathi':
        options.sathi = resolve(value);
        break;
      case '--data-dir':
        options.dataDir = resolve(value);
        break;
      case '--cases':
        options.cases = Number(value);
        break;
      case '--target-cases':
        options.targetCases = Number(value);
        break;
      case '--runs':
        options.runs = Number(value);
        break;
      case '--port':
        options.port = Number(value);
        break;
      case '--out':
        options.out = resolve(value);
        break;
      case '--throttle':
        options.throttle = Number(value);
        break;
      default:
        throw new Error(`unknown option ${name}; see the usage at the top of web/bench/run.mjs`);
    }
  }
  options.dataDir ??= join(targetDir, 'bench-web', `demo-${options.cases}`);
  return options;
}

// ---------------------------------------------------------------------------------------------
// First-load size
// ---------------------------------------------------------------------------------------------

/** Sums the gzip size of the JS and CSS that web/dist/index.html loads before any user action:
 * its scripts and stylesheets and every static import of those scripts. Dynamic import() chunks
 * and fonts are left out, because the browser fetches a font only when text needs it. */
function measureBundle() {
  const distDir = join(webDir, 'dist');
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const pending = [];
  for (const match of html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)) pending.push(match[1]);
  for (const match of html.matchAll(/<link\b[^>]*>/g)) {
    const tag = match[0];
    const href = /\bhref="([^"]+)"/.exec(tag)?.[1];
    if (href && /\brel="(stylesheet|modulepreload)"/.test(tag)) pending.push(href);
  }

  const files = new Map();
  while (pending.length > 0) {
    const url = pending.pop();
    const path = url.replace(/^\//, '');
    if (files.has(path) || !/\.(js|css)$/.test(path)) continue;
    const content = readFileSync(join(distDir, path));
    files.set(path, { raw: content.length, gzip: gzipSync(content, { level: 9 }).length });
    if (path.endsWith('.js')) {
      const text = content.toString('utf8');
      // Static imports in Vite's minified output: `import{a as b}from"./x.js"` and `import"./x.js"`.
      for (const imported of text.matchAll(/\bimport\s*(?:[\w*{}\s,$]+\s*from\s*)?["']([^"']+\.js)["']/g)) {
        pending.push(join(dirname(`/${path}`), imported[1]));
      }
    }
  }
  const entries = [...files.entries()].map(([path, size]) => ({ path, ...size })).sort((a, b) => a.path.localeCompare(b.path));
  const total = entries.reduce((sum, entry) => sum + entry.gzip, 0);
  return { entries, totalGzip: total, totalRaw: entries.reduce((sum, entry) => sum + entry.raw, 0) };
}

// ---------------------------------------------------------------------------------------------
// Server
// ---------------------------------------------------------------------------------------------

function runToEnd(command, args, timeoutMs) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const progress = String(chunk).trim();
      if (progress.startsWith('Created')) console.log(`  ${progress.split('\n').pop()}`);
    });
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`${command} ${args.join(' ')} timed out after ${timeoutMs / 1000} s`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolvePromise(output);
      else reject(new Error(`${command} ${args.join(' ')} failed with exit code ${code}:\n${output.slice(-4000)}`));
    });
  });
}

async function startServer(options) {
  const args = ['serve', '--data-dir', options.dataDir, '--listen', `127.0.0.1:${options.port}`];
  const child = spawn(options.sathi, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SATHI_LOG: 'warn' } });
  let log = '';
  child.stderr.on('data', (chunk) => (log += chunk));
  const base = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + SERVER_START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`sathi serve exited with code ${child.exitCode}:\n${log}`);
    try {
      const response = await fetch(`${base}/`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return { child, base };
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 250));
  }
  child.kill('SIGTERM');
  throw new Error(`sathi serve did not respond on ${base} within ${SERVER_START_TIMEOUT_MS / 1000} s:\n${log}`);
}

/** Counts the cases `username` may read, through the same API the client downloads from. */
async function caseloadTotal(base, username, password) {
  const login = await fetch(`${base}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password, client: 'web' }),
    signal: AbortSignal.timeout(30_000),
  });
  if (!login.ok) throw new Error(`login of ${username} failed with HTTP ${login.status}: ${await login.text()}`);
  const cookie = login.headers.getSetCookie().map((entry) => entry.split(';')[0]).join('; ');
  const page = await fetch(`${base}/api/v1/caseload?offset=0&limit=1`, { headers: { cookie }, signal: AbortSignal.timeout(60_000) });
  if (!page.ok) throw new Error(`caseload of ${username} failed with HTTP ${page.status}`);
  const { total } = await page.json();
  await fetch(`${base}/api/v1/auth/logout`, { method: 'POST', headers: { cookie }, signal: AbortSignal.timeout(30_000) });
  return total;
}

// The demo's supervisors (crates/sathi/src/demo.rs): each reads the cases of their agency's
// four caseworkers, about one sixth of all cases, because no demo role reads more.
const SUPERVISORS = ['sup.karim', 'sup.nazmul', 'sup.fatema', 'sup.saiful', 'sup.rokeya', 'sup.tanvir'];
const SUPERVISOR_PASSWORD = 'demo-supervisor';

/** Picks the supervisor whose caseload is the smallest one of at least `target` cases, or the largest. */
async function chooseUser(base, target) {
  const totals = [];
  for (const username of SUPERVISORS) totals.push({ username, total: await caseloadTotal(base, username, SUPERVISOR_PASSWORD) });
  const enough = totals.filter((entry) => entry.total >= target).sort((a, b) => a.total - b.total);
  const chosen = enough[0] ?? [...totals].sort((a, b) => b.total - a.total)[0];
  return { ...chosen, password: SUPERVISOR_PASSWORD, totals };
}

// ---------------------------------------------------------------------------------------------
// In-page timing
// ---------------------------------------------------------------------------------------------

// Each probe runs in the page. It arms listeners, resolves `window.__bench` with performance.now()
// marks, and takes its end mark one frame later (requestAnimationFrame, then a task), so the
// mark falls after the frame that shows the change has been painted.

/** Arms the unlock probe: submit, the app shell replacing the login form, the first case row. */
function armUnlock() {
  const marks = {};
  window.__bench = new Promise((done) => {
    const afterPaint = (name) => requestAnimationFrame(() => setTimeout(() => {
      marks[name] = performance.now();
      if (marks.list !== undefined) done(marks);
    }));
    document.addEventListener('submit', () => (marks.submit = performance.now()), { capture: true, once: true });
    const observer = new MutationObserver(() => {
      if (marks.shell === undefined && marks.submit !== undefined && document.querySelector('.topbar')) {
        marks.shell = performance.now();
      }
      if (document.querySelector('[data-testid="case-list"] li')) {
        observer.disconnect();
        afterPaint('list');
      }
    });
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  });
}

/** Arms a probe that starts at the next `eventType` event and ends once `#main` changed and painted. */
function armChange(eventType) {
  const marks = {};
  window.__bench = new Promise((done) => {
    const main = document.querySelector('#main');
    const observer = new MutationObserver(() => {
      if (marks.start === undefined) return;
      observer.disconnect();
      requestAnimationFrame(() => setTimeout(() => {
        marks.end = performance.now();
        done(marks);
      }));
    });
    observer.observe(main, { childList: true, subtree: true, characterData: true, attributes: true });
    document.addEventListener(eventType, () => (marks.start = performance.now()), { capture: true, once: true });
  });
}

async function collect(page) {
  return page.evaluate(
    (timeoutMs) =>
      Promise.race([
        window.__bench,
        new Promise((_, reject) => setTimeout(() => reject(new Error(`no result within ${timeoutMs} ms`)), timeoutMs)),
      ]),
    STEP_TIMEOUT_MS,
  );
}

async function throttle(page, rate) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return cdp;
}

async function login(page, username, password) {
  await page.fill('#login-username', username);
  await page.fill('#login-password', password);
  await page.click('form button[type="submit"]');
}

async function vaultCaseCount(page) {
  return page.evaluate(async () => {
    const databases = await indexedDB.databases();
    let count = 0;
    for (const { name } of databases) {
      if (!name?.startsWith('sathi-vault-')) continue;
      count += await new Promise((done, fail) => {
        const request = indexedDB.open(name);
        request.onerror = () => fail(request.error);
        request.onsuccess = () => {
          const db = request.result;
          const counting = db.transaction('records').objectStore('records').count(IDBKeyRange.bound('case:', 'case:\uffff'));
          counting.onsuccess = () => {
            db.close();
            done(counting.result);
          };
          counting.onerror = () => fail(counting.error);
        };
      });
    }
    return count;
  });
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { median, max: sorted[sorted.length - 1], runs: values.length, values };
}

async function measureClient(options, base, user) {
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const context = await browser.newContext({ viewport: { width: 412, height: 915 }, serviceWorkers: 'block' });
    context.setDefaultTimeout(STEP_TIMEOUT_MS);
    const page = await context.newPage();
    const consoleErrors = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });

    const loadBefore = os.loadavg()[0];
    // Online login, without throttling: the download is not one of the measured steps.
    console.log(`Logging in online as ${user.username} to fill the vault (${user.total} cases)...`);
    await page.goto(`${base}/`);
    await login(page, user.username, user.password);
    await page.waitForFunction(
      () => {
        const bar = document.querySelector('[data-testid="sync-bar"]');
        return bar && bar.querySelector('button:not([disabled])') && !bar.querySelector('.last')?.textContent?.match(/এখনো সিঙ্ক হয়নি|Never synced/);
      },
      undefined,
      { timeout: DOWNLOAD_TIMEOUT_MS, polling: 500 },
    );
    const stored = await vaultCaseCount(page);
    console.log(`The vault contains ${stored} cases.`);

    // Offline from here on: every API request fails as with no network, so login unlocks the vault.
    await page.route('**/api/**', (route) => route.abort('internetdisconnected'));

    const unlock = [];
    const listPaint = [];
    const keyDerivation = [];
    for (let run = 0; run < options.runs; run++) {
      // A new query string forces a full load, so the in-memory session is gone and login shows.
      await page.goto(`${base}/?run=${run}`);
      await page.waitForSelector('#login-username');
      await throttle(page, options.throttle);
      await page.evaluate(armUnlock);
      await login(page, user.username, user.password);
      const marks = await collect(page);
      unlock.push(marks.list - marks.submit);
      keyDerivation.push(marks.shell - marks.submit);
      listPaint.push(marks.list - marks.shell);
      console.log(`  unlock ${run + 1}: ${(marks.list - marks.submit).toFixed(0)} ms (list ${(marks.list - marks.shell).toFixed(0)} ms after the shell)`);
    }

    // The session from the last unlock stays open for the remaining steps, still throttled. The
    // client folds every name for search in idle time after unlock (about 2 s here), so the
    // searches start after a pause like the one a person needs to reach the search box.
    await page.waitForTimeout(SEARCH_PAUSE_MS);
    const names = await page.$$eval('[data-testid="case-list"] li .name', (elements) => elements.map((element) => element.textContent ?? ''));
    const words = [];
    for (let index = 3; index < names.length && words.length < options.runs; index += 17) {
      const word = names[index].split(/\s+/)[0];
      if (word && !words.includes(word)) words.push(word);
    }
    const search = [];
    const searchMatches = [];
    for (const word of words) {
      await page.evaluate(armChange, 'input');
      await page.fill('#case-search', word);
      const marks = await collect(page);
      search.push(marks.end - marks.start);
      searchMatches.push(await page.$$eval('[data-testid="case-list"] li', (items) => items.length));
      console.log(`  search "${word}": ${(marks.end - marks.start).toFixed(0)} ms`);
      await page.evaluate(armChange, 'input');
      await page.fill('#case-search', '');
      await collect(page);
    }

    const openCase = [];
    const listAgain = [];
    for (let run = 0; run < options.runs; run++) {
      const row = page.locator('[data-testid="case-list"] li a').nth(5 + run * 11);
      await page.evaluate(armChange, 'click');
      await row.click();
      const marks = await collect(page);
      await page.waitForSelector('#case-title');
      openCase.push(marks.end - marks.start);

      // Back to the list with the caseload already in memory, as after closing a case.
      await page.evaluate(armChange, 'click');
      await page.click('.topbar .brand');
      const back = await collect(page);
      await page.waitForSelector('[data-testid="case-list"] li');
      listAgain.push(back.end - back.start);
      console.log(`  open case ${run + 1}: ${(marks.end - marks.start).toFixed(0)} ms, back to the list ${(back.end - back.start).toFixed(0)} ms`);
    }

    return {
      loadBefore,
      loadAfter: os.loadavg()[0],
      chromium: browser.version(),
      stored,
      words,
      searchMatches,
      unlock: summary(unlock),
      keyDerivation: summary(keyDerivation),
      listPaint: summary(listPaint),
      search: summary(search),
      openCase: summary(openCase),
      listAgain: summary(listAgain),
      consoleErrors,
    };
  } finally {
    await browser.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

function machine() {
  const cpuinfo = readFileSync('/proc/cpuinfo', 'utf8');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown CPU';
  const nproc = execFileSync('nproc', { encoding: 'utf8' }).trim();
  const memory = `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`;
  return { model, nproc, memory, node: process.version };
}

function commit() {
  try {
    const hash = execFileSync('git', ['-C', repoDir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['-C', repoDir, 'status', '--porcelain', '--', 'web/src'], { encoding: 'utf8' }).trim();
    return dirty ? `${hash} with uncommitted changes in web/src` : hash;
  } catch {
    return 'unknown';
  }
}

const ms = (value) => `${Math.round(value)} ms`;
const verdict = (value, target) => (value <= target ? 'met' : '**missed**');

function resultsMarkdown(options, bundle, user, client) {
  const host = machine();
  const rows = [
    ['Unlock: offline login, submit to the first case row painted', client.unlock, TARGETS.unlockMs],
    ['First paint of the case list after unlock (app shell shown to first row painted)', client.listPaint, TARGETS.listPaintMs],
    ['Name search: one input event with a whole first name to the filtered list painted', client.search, TARGETS.searchMs],
    ['Opening a case: click on a row to the case view painted', client.openCase, TARGETS.openCaseMs],
  ];
  const lines = [
    `Measured on ${new Date().toISOString().slice(0, 10)} at commit ${commit()} by \`scripts/bench-web\`.`,
    '',
    `- Machine: ${host.model}, ${host.nproc} CPUs (nproc), ${host.memory} memory; Node.js ${host.node}.`,
    `- Load average (1 min) of the machine, this benchmark included: ${client.loadBefore.toFixed(2)} before the browser steps, ${client.loadAfter.toFixed(2)} after them. On a shared machine a high load shows up in the maximums.`,
    `- Browser: Chromium ${client.chromium} (/usr/bin/chromium), headless, CPU throttled ${options.throttle}x with CDP \`Emulation.setCPUThrottlingRate\`, viewport 412x915.`,
    `- Data: \`sathi demo --cases ${options.cases}\`; logged in as \`${user.username}\` (supervisor), who reads ${user.total} cases. The vault contained ${client.stored} cases.`,
    '',
    '| Step | Median | Max | Target | |',
    '|---|---:|---:|---:|---|',
    `| First-load JS and CSS, gzip -9, fonts excluded | ${(bundle.totalGzip / 1024).toFixed(1)} KB | | < ${TARGETS.bundleKb} KB | ${verdict(bundle.totalGzip / 1024, TARGETS.bundleKb)} |`,
    ...rows.map(([name, result, target]) => `| ${name} | ${ms(result.median)} | ${ms(result.max)} | < ${ms(target)} | ${verdict(result.median, target)} (max ${verdict(result.max, target)}) |`),
    `| Part of unlock: submit to the app shell (PBKDF2 and key unwrap) | ${ms(client.keyDerivation.median)} | ${ms(client.keyDerivation.max)} | | |`,
    `| Back to the case list from a case, caseload in memory | ${ms(client.listAgain.median)} | ${ms(client.listAgain.max)} | | |`,
    '',
    `Each browser step ran ${options.runs} times; the table shows the median and the maximum. Searched words: ${client.words.map((word) => `"${word}"`).join(', ')} (rows on screen at the end mark: ${client.searchMatches.join(', ')}). Caseloads of the demo supervisors: ${user.totals.map((entry) => `${entry.username} ${entry.total}`).join(', ')}.`,
    '',
    'First-load files:',
    '',
    '| File | Raw | gzip -9 |',
    '|---|---:|---:|',
    ...bundle.entries.map((entry) => `| ${entry.path} | ${(entry.raw / 1024).toFixed(1)} KB | ${(entry.gzip / 1024).toFixed(1)} KB |`),
  ];
  if (client.consoleErrors.length > 0) {
    lines.push('', `The page logged ${client.consoleErrors.length} console errors, the first: \`${client.consoleErrors[0].slice(0, 200)}\`.`);
  }
  return lines.join('\n');
}

const START = '<!-- results:start (written by web/bench/run.mjs) -->';
const END = '<!-- results:end -->';

/** Replaces the results between the markers of `path`, keeping the text around them. */
function writeReport(path, results) {
  const block = `${START}\n${results}\n${END}`;
  if (existsSync(path)) {
    const current = readFileSync(path, 'utf8');
    const start = current.indexOf(START);
    const end = current.indexOf(END);
    if (start >= 0 && end > start) {
      writeFileSync(path, current.slice(0, start) + block + current.slice(end + END.length));
      return;
    }
  }
  writeFileSync(path, `# Web client benchmarks\n\n${block}\n`);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (!existsSync(join(webDir, 'dist', 'index.html'))) throw new Error('web/dist/index.html is missing; run `npm run build` in web/ first');
  if (!existsSync(options.sathi)) throw new Error(`${options.sathi} is missing; build it with \`cargo build --release -p sathi\``);

  const bundle = measureBundle();
  console.log(`First-load JS and CSS: ${(bundle.totalGzip / 1024).toFixed(1)} KB gzip in ${bundle.entries.length} files.`);

  mkdirSync(options.dataDir, { recursive: true });
  console.log(`Preparing ${options.cases} demo cases in ${options.dataDir} (kept for later runs)...`);
  await runToEnd(options.sathi, ['demo', '--data-dir', options.dataDir, '--cases', String(options.cases)], DEMO_CREATE_TIMEOUT_MS);

  const server = await startServer(options);
  try {
    const user = await chooseUser(server.base, options.targetCases);
    if (user.total < options.targetCases) {
      console.warn(`No demo supervisor reads ${options.targetCases} cases (largest: ${user.total}); pass a larger --cases.`);
    }
    const client = await measureClient(options, server.base, user);
    const results = resultsMarkdown(options, bundle, user, client);
    mkdirSync(dirname(options.out), { recursive: true });
    writeReport(options.out, results);
    console.log(`\n${results}\n\nWrote ${options.out}.`);
  } finally {
    server.child.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
