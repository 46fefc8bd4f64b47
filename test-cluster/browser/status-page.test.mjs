// Browser test of the admin status page, run by test-cluster/browser-test against a running node.
// Drives Debian's /usr/bin/chromium through playwright-core (which never downloads a browser).
// Environment: ADMIN_URL (http://127.0.0.1:29901), ADMIN_TOKEN, SCREENSHOT (PNG path),
// PROFILE_DIR (a fresh, empty Chromium user-data-dir).
// Last line of output: "browser-test: N passed, M failed"; exit code 1 when anything failed.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const ADMIN = process.env.ADMIN_URL || 'http://127.0.0.1:29901';
const TOKEN = process.env.ADMIN_TOKEN;
const SHOT = process.env.SCREENSHOT || 'target/browser/status-page.png';
const PROFILE = process.env.PROFILE_DIR;
const TIMEOUT = 15000;   // the page refreshes every 2 s; health checks run every 500 ms

if (!TOKEN || !PROFILE) {
  console.error('status-page.test: ADMIN_TOKEN and PROFILE_DIR must be set');
  process.exit(2);
}

let passed = 0;
let failed = 0;
const ok = (what) => { passed++; console.log('browser-test: ok: ' + what); };
const bad = (what, e) => { failed++; console.error('browser-test: FAIL: ' + what + (e ? ': ' + (e.message || e) : '')); };

// One named check; a failure is counted and (unless `go_on`) stops the run, as later steps
// depend on earlier ones.
async function check(what, fn, goOn = false) {
  try {
    await fn();
    ok(what);
    return true;
  } catch (e) {
    bad(what, e);
    if (!goOn) throw new StopRun();
    return false;
  }
}
class StopRun extends Error {}

function assert(cond, msg) { if (!cond) throw new Error(msg); }

// The backend's state as the admin API reports it, authenticated by the bearer token (not the cookie).
async function apiBackend(id) {
  const r = await fetch(ADMIN + '/api/backends', { headers: { Authorization: 'Bearer ' + TOKEN } });
  assert(r.ok, 'GET /api/backends gave HTTP ' + r.status);
  const b = (await r.json()).backends.find((x) => x.id === id);
  assert(b, 'no backend ' + id + ' in /api/backends');
  return b;
}

async function waitFor(what, fn, timeoutMs = TIMEOUT) {
  const end = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { last = e; }
    if (Date.now() > end) throw new Error('timed out waiting for ' + what + (last ? ' (' + last.message + ')' : ''));
    await new Promise((r) => setTimeout(r, 200));
  }
}

const rowState = (page, id) => page.locator(`#backends tbody tr[data-backend="${id}"]`).getAttribute('data-state', { timeout: 1000 });

const context = await chromium.launchPersistentContext(PROFILE, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 900 },
  timeout: 60000,
});
const consoleErrors = [];
try {
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  // Failed loads are judged by their responses below (Chromium logs each one as a console error).
  page.on('console', (m) => {
    if (m.type() === 'error' && !/^Failed to load resource/.test(m.text())) consoleErrors.push(m.text());
  });
  // Every HTTP error the page got, except the browser's own /favicon.ico probe (404) and the
  // wrong-token login attempt (401), which is part of the test.
  page.on('response', (r) => {
    const path = new URL(r.url()).pathname;
    const expected = path === '/favicon.ico' || (path === '/login' && r.request().method() === 'POST' && r.status() === 401);
    if (r.status() >= 400 && !expected) consoleErrors.push(r.request().method() + ' ' + path + ' gave HTTP ' + r.status());
  });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  await check('GET / without a cookie shows the login form', async () => {
    const resp = await page.goto(ADMIN + '/');
    assert(resp.status() === 200, 'HTTP ' + resp.status());
    await page.locator('#token').waitFor({ state: 'visible' });
    await page.locator('#login-submit').waitFor({ state: 'visible' });
    assert(await page.locator('#backends').count() === 0, 'the status table is shown before logging in');
  });

  await check('a wrong token is refused with an error, still on the login form', async () => {
    await page.fill('#token', 'wrong-token-' + Date.now());
    await Promise.all([page.waitForNavigation(), page.click('#login-submit')]);
    const err = page.locator('#login-error');
    await err.waitFor({ state: 'visible' });
    assert(/wrong token/i.test(await err.textContent()), 'error text: ' + await err.textContent());
    await page.locator('#token').waitFor({ state: 'visible' });
    const cookies = await context.cookies(ADMIN);
    assert(!cookies.some((c) => c.name === 'tandem_admin'), 'a cookie was set for a wrong token');
  });

  await check('the right token logs in (HttpOnly cookie) and shows the status page', async () => {
    await page.fill('#token', TOKEN);
    await Promise.all([page.waitForNavigation(), page.click('#login-submit')]);
    await page.locator('#backends').waitFor({ state: 'visible' });
    const c = (await context.cookies(ADMIN)).find((x) => x.name === 'tandem_admin');
    assert(c, 'no tandem_admin cookie');
    assert(c.httpOnly, 'the cookie is not HttpOnly');
    assert(c.sameSite === 'Strict', 'the cookie is SameSite=' + c.sameSite);
    assert(await page.locator('#token').count() === 0, 'the login form is still shown');
  });

  await check('#backends shows web1 and web2 UP', async () => {
    await page.locator('#backends tbody tr[data-backend="web1"][data-state="UP"]').waitFor();
    await page.locator('#backends tbody tr[data-backend="web2"][data-state="UP"]').waitFor();
    const ids = await page.locator('#backends tbody tr').evaluateAll((rows) => rows.map((r) => r.dataset.backend));
    assert(JSON.stringify(ids) === '["web1","web2"]', 'rows: ' + JSON.stringify(ids));
    const txt = await page.locator('#backends tbody tr[data-backend="web1"] .backend-state').textContent();
    assert(txt.trim() === 'UP', 'web1 state cell says ' + JSON.stringify(txt));
  });

  await check('the pair section is filled (#pair-state, #sticky-entries, node name)', async () => {
    await waitFor('#pair-state text', async () => (await page.locator('#pair-state').textContent()).trim());
    const state = (await page.locator('#pair-state').textContent()).trim();
    const node = (await page.locator('#node-name').textContent()).trim();
    const sticky = (await page.locator('#sticky-entries').textContent()).trim();
    assert(node === 'lb1', 'node name ' + JSON.stringify(node));
    assert(/^\d+$/.test(sticky), 'sticky entries ' + JSON.stringify(sticky));
    // A single node with no cluster: #members is hidden and the "single node" note is shown.
    const members = await page.locator('#members tbody tr').count();
    const noneShown = await page.locator('#members-none').isVisible();
    assert(members > 0 || noneShown, 'neither members nor the single-node note');
    console.log(`browser-test: pair: node=${node} state=${state} sticky=${sticky} members=${members}`);
    const want = Number(process.env.EXPECT_MEMBERS || 0);
    if (want > 0) {
      // A running pair: every member listed, and this node in a pair state (MASTER or BACKUP).
      await waitFor(`#members shows ${want} rows`, async () => (await page.locator('#members tbody tr').count()) >= want);
      assert(['MASTER', 'BACKUP'].includes(state), `state ${state} is not MASTER or BACKUP`);
      // The node's own role history (recent failovers) is listed.
      await waitFor('#history lists a role change', async () => (await page.locator('#history li').count()) > 0);
    }
  });

  await check('traffic is counted in the backends table', async () => {
    await waitFor('requests counted', async () => {
      const totals = await page.locator('#backends tbody tr td:nth-child(9)').allTextContents();
      return totals.map(Number).reduce((a, b) => a + b, 0) > 0;
    });
  }, true);

  await check('no error shown on the page', async () => {
    assert(await page.locator('#error').isHidden(), 'error: ' + await page.locator('#error').textContent());
  }, true);

  await check('clicking Drain on web2 turns its row DRAIN', async () => {
    await page.click('#backends button[data-action="drain"][data-backend="web2"]');
    await page.locator('#backends tbody tr[data-backend="web2"][data-state="DRAIN"]').waitFor();
    assert(await rowState(page, 'web1') === 'UP', 'web1 changed too');
    assert(await page.locator('#backends button[data-action="drain"][data-backend="web2"]').isDisabled(),
      'the Drain button of web2 is still enabled');
  });

  await check('the admin API (bearer token) reports web2 DRAIN', async () => {
    const b = await apiBackend('web2');
    assert(b.state === 'DRAIN' && b.admin_state === 'DRAIN', 'web2: ' + JSON.stringify(b));
    assert((await apiBackend('web1')).state === 'UP', 'web1 is not UP');
  });

  await check('clicking Enable on web2 turns its row UP again', async () => {
    await page.click('#backends button[data-action="enable"][data-backend="web2"]');
    await page.locator('#backends tbody tr[data-backend="web2"][data-state="UP"]').waitFor();
    const b = await apiBackend('web2');
    assert(b.state === 'UP' && b.admin_state === 'ENABLED', 'API says web2: ' + JSON.stringify(b));
  });

  await check('the recent events list shows the drain and the enable', async () => {
    await waitFor('events', async () => {
      const ev = (await page.locator('#events').textContent());
      return /drain web2/.test(ev) && /enable web2/.test(ev);
    });
  }, true);

  await check('screenshot saved to ' + SHOT, async () => {
    mkdirSync(dirname(SHOT), { recursive: true });
    await page.waitForTimeout(2500);   // one more refresh, so req/s is filled in
    await page.screenshot({ path: SHOT, fullPage: true });
  }, true);

  await check('no JavaScript errors and no unexpected HTTP errors', async () => {
    assert(consoleErrors.length === 0, consoleErrors.join(' | '));
  }, true);
} catch (e) {
  if (!(e instanceof StopRun)) bad('unexpected error', e);
  try {
    mkdirSync(dirname(SHOT), { recursive: true });
    const p = context.pages()[0];
    if (p) await p.screenshot({ path: SHOT.replace(/\.png$/, '') + '-failure.png', fullPage: true });
  } catch (ignored) { /* best effort */ }
} finally {
  await context.close();
}
console.log(`browser-test: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
